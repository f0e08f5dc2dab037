#include "screenpower.h"

#include <QLoggingCategory>
#include <QTime>

Q_LOGGING_CATEGORY(lcScreen, "kiosk.screen")

namespace {
constexpr int kMsPerMinute = 60000;
// The schedule is looked at again at least this often (the wall clock has no timer of its own).
constexpr int kScheduleCheckMs = 20000;
} // namespace

ScreenPower::ScreenPower(QObject *parent)
    : QObject(parent)
    , m_minuteOfDay([] {
        const QTime now = QTime::currentTime();
        return now.hour() * 60 + now.minute();
    })
{
    m_idle.start();
    m_check.setSingleShot(true);
    connect(&m_check, &QTimer::timeout, this, &ScreenPower::update);
}

ScreenPower::~ScreenPower() = default; // the backlight goes back to its brightness at start

void ScreenPower::configure(const KioskConfig &config)
{
    m_dimAfterMs = config.dimAfterMinutes * kMsPerMinute;
    m_offAfterMs = config.offAfterMinutes * kMsPerMinute;
    m_scheduleFrom = config.scheduleFrom;
    m_scheduleTo = config.scheduleTo;
    if (!m_backlight || config.backlight != m_backlightSetting) {
        m_backlight.reset(); // the old one's brightness back before another is opened
        m_backlightSetting = config.backlight;
        m_backlight = std::make_unique<Backlight>(config.backlight);
        emit backlightChanged();
    }
    emit configChanged();
    m_idle.start(); // new settings count from now
    setState(On);
    update();
}

QString ScreenPower::stateName(State state)
{
    switch (state) {
    case On:
        return QStringLiteral("on");
    case Dimmed:
        return QStringLiteral("dimmed");
    case Off:
        return QStringLiteral("off");
    }
    return {};
}

void ScreenPower::setDimAfterMs(int ms)
{
    m_dimAfterMs = qMax(0, ms);
    emit configChanged();
    update();
}

void ScreenPower::setOffAfterMs(int ms)
{
    m_offAfterMs = qMax(0, ms);
    emit configChanged();
    update();
}

bool ScreenPower::inSchedule(int from, int to, int minute)
{
    if (from < 0 || to < 0 || from == to)
        return false;
    return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

void ScreenPower::setClock(std::function<int()> minuteOfDay)
{
    m_minuteOfDay = std::move(minuteOfDay);
    update();
}

void ScreenPower::activity()
{
    if (m_state == On) {
        m_idle.start();
        update();
    }
}

void ScreenPower::wake()
{
    m_idle.start();
    setState(On);
    update();
}

void ScreenPower::update()
{
    const qint64 idle = m_idle.elapsed();
    const bool scheduled = inSchedule(m_scheduleFrom, m_scheduleTo, m_minuteOfDay());
    // In the schedule's hours a touch lights the screen only for a while.
    int offAfter = m_offAfterMs;
    if (scheduled)
        offAfter = offAfter > 0 ? qMin(offAfter, kScheduleWakeMs) : kScheduleWakeMs;
    State wanted = On;
    qint64 next = -1; // ms until the state would change without a touch
    if (offAfter > 0 && idle >= offAfter) {
        wanted = Off;
    } else {
        if (offAfter > 0)
            next = offAfter - idle;
        if (m_dimAfterMs > 0 && idle >= m_dimAfterMs)
            wanted = Dimmed;
        else if (m_dimAfterMs > 0)
            next = next < 0 ? m_dimAfterMs - idle : qMin(next, m_dimAfterMs - idle);
    }
    // Without a touch the idle time only grows, so the state only darkens, except when the
    // schedule's hours end: then the screen comes back on by itself.
    setState(wanted);
    const bool hasSchedule = m_scheduleFrom >= 0;
    if (hasSchedule)
        next = next < 0 ? kScheduleCheckMs : qMin<qint64>(next, kScheduleCheckMs);
    if (next >= 0)
        m_check.start(int(qMax<qint64>(1, next)));
    else
        m_check.stop();
}

void ScreenPower::setState(State state)
{
    if (state == m_state)
        return;
    qCInfo(lcScreen).noquote() << "screen" << stateName(state);
    m_state = state;
    if (m_backlight && m_backlight->isUsable()) {
        const double fraction = state == On ? 1.0 : state == Dimmed ? kDimFraction : 0.0;
        if (!m_backlight->set(fraction))
            emit backlightChanged(); // failed: the QML blacks out instead from now on
    }
    emit stateChanged();
}
