#include "backlight.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <cmath>

Q_LOGGING_CATEGORY(lcBacklight, "kiosk.backlight")

namespace {
const QString kSysfs = QStringLiteral("/sys/class/backlight");

int readNumber(const QString &path, bool *ok)
{
    QFile file(path);
    *ok = file.open(QIODevice::ReadOnly);
    return *ok ? file.readLine(64).trimmed().toInt(ok) : 0;
}
} // namespace

Backlight::Backlight(const QString &setting)
{
    if (setting == QLatin1String("none"))
        return;
    if (setting != QLatin1String("auto")) {
        if (!open(setting))
            qCWarning(lcBacklight).noquote()
                << "backlight" << setting
                << "cannot be used (needs a readable max_brightness and a writable brightness)"
                   " - the screen is blacked out instead";
        return;
    }
    const QDir sysfs(kSysfs);
    for (const QString &name : sysfs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (open(sysfs.filePath(name)))
            return;
    }
    qCInfo(lcBacklight).noquote() << "no writable backlight in" << kSysfs
                                  << "- the screen is blacked out instead of switched off";
}

Backlight::~Backlight()
{
    if (isUsable() && m_level >= 0 && m_level != m_onLevel)
        set(1);
}

bool Backlight::open(const QString &folder)
{
    bool ok = false;
    const int max = readNumber(QDir(folder).filePath(QStringLiteral("max_brightness")), &ok);
    if (!ok || max <= 0)
        return false;
    bool current = false;
    const int level = readNumber(QDir(folder).filePath(QStringLiteral("brightness")), &current);
    const QFileInfo brightness(QDir(folder).filePath(QStringLiteral("brightness")));
    if (!current || !brightness.isWritable())
        return false;
    m_folder = folder;
    m_onLevel = level > 0 ? qMin(level, max) : max;
    qCInfo(lcBacklight).noquote() << "backlight" << folder << "at" << m_onLevel << "of" << max;
    return true;
}

bool Backlight::set(double fraction)
{
    if (!isUsable())
        return false;
    const int level = fraction >= 1 ? m_onLevel
        : fraction <= 0             ? 0
                                    : qMax(1, int(std::lround(m_onLevel * fraction)));
    QFile file(QDir(m_folder).filePath(QStringLiteral("brightness")));
    // Unbuffered: a sysfs attribute takes the value in one write(), whose error is the answer.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        fail(file.errorString());
        return false;
    }
    if (file.write(QByteArray::number(level) + '\n') <= 0) {
        fail(file.errorString());
        return false;
    }
    m_level = level;
    return true;
}

void Backlight::fail(const QString &why)
{
    qCWarning(lcBacklight).noquote() << "cannot set the backlight in" << m_folder << "(" << why
                                     << ") - leaving it alone; the screen is blacked out instead";
    m_folder.clear();
}
