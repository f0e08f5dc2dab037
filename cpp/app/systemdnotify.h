#pragma once

#include <QObject>
#include <QTimer>

// Tells systemd how the service is doing (sd_notify): READY=1 once it serves, WATCHDOG=1 while
// the main event loop turns, STOPPING=1 on the way out. Outside systemd (no NOTIFY_SOCKET) every
// call does nothing.
class SystemdNotifier : public QObject
{
    Q_OBJECT
public:
    explicit SystemdNotifier(QObject *parent = nullptr);

    // Sends READY=1 with a status line and starts feeding the watchdog when the unit has one.
    void ready(const QString &status);
    void stopping();

    // The watchdog period systemd asked for, 0 when there is none. Also honoured when the
    // watched main process is our parent: a kiosk compositor (cage) that started us.
    static qint64 watchdogUsec();

private:
    QTimer m_watchdog;
};
