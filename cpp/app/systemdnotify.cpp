#include "systemdnotify.h"

#include <QLoggingCategory>

#include <systemd/sd-daemon.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSystemd, "kiosk.systemd")

SystemdNotifier::SystemdNotifier(QObject *parent)
    : QObject(parent)
{
    // Fed from the main thread's event loop: when it hangs the pings stop and systemd restarts
    // the service.
    connect(&m_watchdog, &QTimer::timeout, this, [] { sd_notify(0, "WATCHDOG=1"); });
}

qint64 SystemdNotifier::watchdogUsec()
{
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0)
        return qint64(usec);
    // sd_watchdog_enabled() only answers the main process; under cage the main process is the
    // compositor and we are its child, which the unit allows with NotifyAccess=all.
    bool ok = false;
    const qint64 pid = qEnvironmentVariable("WATCHDOG_PID").toLongLong(&ok);
    if (!ok || pid != qint64(getppid()))
        return 0;
    const qint64 fromEnv = qEnvironmentVariable("WATCHDOG_USEC").toLongLong(&ok);
    return ok && fromEnv > 0 ? fromEnv : 0;
}

void SystemdNotifier::ready(const QString &status)
{
    const QByteArray message = "READY=1\nSTATUS=" + status.toUtf8();
    const int sent = sd_notify(0, message.constData());
    if (sent < 0)
        qCWarning(lcSystemd) << "sd_notify failed:" << strerror(-sent);
    const qint64 usec = watchdogUsec();
    if (usec > 0 && sent > 0) {
        // Half the period, as sd_watchdog_enabled(3) advises, so one late ping is no restart.
        m_watchdog.start(int(qMax<qint64>(usec / 2000, 1)));
        sd_notify(0, "WATCHDOG=1");
        qCInfo(lcSystemd) << "watchdog every" << m_watchdog.interval() << "ms";
    }
}

void SystemdNotifier::stopping()
{
    m_watchdog.stop();
    sd_notify(0, "STOPPING=1");
}
