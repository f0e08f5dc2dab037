#pragma once

#include <QString>

// A screen's backlight in sysfs (/sys/class/backlight/NAME/{brightness,max_brightness}). The
// service needs write access to `brightness` (group video on Debian with a udev rule; see
// deploy/systemd). Whatever goes wrong (no backlight, a file that vanishes or refuses writes)
// is logged once and the backlight is then left alone: the caller shows a black screen instead.
class Backlight
{
public:
    // `setting`: auto (the first /sys/class/backlight/* whose brightness is writable), none, or
    // a folder holding brightness and max_brightness (tests point it at a temporary one).
    explicit Backlight(const QString &setting);
    // Puts the brightness found at start back.
    ~Backlight();
    Backlight(const Backlight &) = delete;
    Backlight &operator=(const Backlight &) = delete;

    bool isUsable() const { return !m_folder.isEmpty(); }
    QString folder() const { return m_folder; }
    // 1: as it was at start; 0: off; in between: that fraction of it (at least 1 step). False
    // (and no longer usable) if the write failed.
    bool set(double fraction);

private:
    bool open(const QString &folder);
    void fail(const QString &why);

    QString m_folder; // empty: not usable
    int m_onLevel = 0; // brightness at start (or the maximum if it was 0)
    int m_level = -1; // last written
};
