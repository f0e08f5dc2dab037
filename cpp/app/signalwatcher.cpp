#include "signalwatcher.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/signalfd.h>
#include <unistd.h>

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    // Blocked in this (main) thread before other threads start, so they inherit the mask and
    // the signals wait in the signalfd for us.
    pthread_sigmask(SIG_BLOCK, &mask, nullptr);
    m_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (m_fd < 0)
        return;
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        signalfd_siginfo info{};
        while (::read(m_fd, &info, sizeof info) == ssize_t(sizeof info)) {
            const int signo = int(info.ssi_signo);
            if (signo == SIGUSR1 || signo == SIGUSR2)
                emit streamingRequested(signo == SIGUSR2);
            else
                emit terminationRequested(signo);
        }
    });
}

SignalWatcher::~SignalWatcher()
{
    if (m_fd >= 0)
        ::close(m_fd);
}
