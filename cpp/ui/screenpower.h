#pragma once

#include "backlight.h"
#include "pipeline/pipelineconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QQmlEngine>
#include <QTimer>

#include <functional>
#include <memory>

// When the kiosk's screen is lit: on, dimmed after --screen-dim-after minutes without a touch,
// off after --screen-off-after, and off during --screen-schedule's hours (a touch lights it
// until nobody has touched it for a minute, or --screen-off-after if shorter). Dimming and off
// go through the backlight when there is a writable one; otherwise (and as soon as it fails)
// the QML covers the screen in black. Off also stops the preview's work (Main.qml). Viewers
// are served whatever the screen does.
class ScreenPower : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use Kiosk.screen")
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    // Dimming and off are the backlight's doing; false: the QML darkens the picture itself.
    Q_PROPERTY(bool backlight READ usesBacklight NOTIFY backlightChanged)
    // Tests shorten these (--screen-dim-after and --screen-off-after in ms; 0: never).
    Q_PROPERTY(int dimAfterMs READ dimAfterMs WRITE setDimAfterMs NOTIFY configChanged)
    Q_PROPERTY(int offAfterMs READ offAfterMs WRITE setOffAfterMs NOTIFY configChanged)

public:
    enum State { On, Dimmed, Off };
    Q_ENUM(State)
    static constexpr double kDimFraction = 0.3; // of the brightness found at start
    static constexpr int kScheduleWakeMs = 60000;

    explicit ScreenPower(QObject *parent = nullptr);
    ~ScreenPower() override;

    // --screen-dim-after, --screen-off-after, --screen-schedule and --backlight in force.
    void configure(const KioskConfig &config);

    State state() const { return m_state; }
    static QString stateName(State state); // "on", "dimmed", "off" (/status)
    bool usesBacklight() const { return m_backlight && m_backlight->isUsable(); }
    int dimAfterMs() const { return m_dimAfterMs; }
    void setDimAfterMs(int ms);
    int offAfterMs() const { return m_offAfterMs; }
    void setOffAfterMs(int ms);

    // Whether `minute` (of the day) is in the schedule from `from` to `to` (which may wrap
    // midnight; -1: no schedule).
    static bool inSchedule(int from, int to, int minute);
    // For tests: the local minute of the day (QTime::currentTime() otherwise).
    void setClock(std::function<int()> minuteOfDay);

    // Someone touched the lit screen: it stays on. A touch on a dim or dark screen goes to
    // wake() instead (the QML's cover, so that the touch presses nothing).
    void activity();
    // Lights the screen (the touch that woke it presses nothing else).
    Q_INVOKABLE void wake();

signals:
    void stateChanged();
    void backlightChanged();
    void configChanged();

private:
    void update(); // the state the idle time and the clock call for, and the next check
    void setState(State state);

    State m_state = On;
    int m_dimAfterMs = 0;
    int m_offAfterMs = 0;
    int m_scheduleFrom = -1;
    int m_scheduleTo = -1;
    QString m_backlightSetting;
    std::unique_ptr<Backlight> m_backlight;
    std::function<int()> m_minuteOfDay;
    QElapsedTimer m_idle; // since the last touch
    QTimer m_check;
};
