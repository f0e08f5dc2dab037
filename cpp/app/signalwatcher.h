#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT and SIGTERM, SIGUSR1 and SIGUSR2 into Qt signals on the thread that made it
// (signalfd), so shutdown and the streaming switch run normal code instead of a signal handler.
// SIGUSR1/SIGUSR2 let an operator (or a test) switch streaming off/on on a headless server.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);
    void streamingRequested(bool on); // SIGUSR2: on, SIGUSR1: off

private:
    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
};
