#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QTcpServer>

#include <atomic>
#include <memory>

class ClientPool;
class ConnectionGate;
class QSocketNotifier;
class QSslConfiguration;

// Accepts on the first network thread and hands each socket to a pool, round robin. Admission
// (client limit, allow-list, per-address cap) is decided here, before any byte is read.
// QTcpServer only binds and listens (so a busy port is reported synchronously): accepting is
// ours, because on EMFILE Qt 6.4 retries accept() at once, forever (a busy loop), where this
// pauses, answers the waiting clients 503 from a reserve descriptor and says so in the log.
class Listener : public QTcpServer
{
public:
    // tls: the configuration of an HTTPS port; null for plain HTTP.
    Listener(int maxClients, std::atomic<int> &openConnections, ConnectionGate &gate,
             std::shared_ptr<const QSslConfiguration> tls);
    ~Listener() override;

    bool start(const QHostAddress &host, quint16 port);
    // On the listener's thread.
    void stop();
    // Before the listener moves to its thread and accepts anything.
    void setPools(QList<ClientPool *> pools) { m_pools = std::move(pools); }

private:
    void acceptAll();
    void admit(int fd);
    // Whether the client limit or ConnectionGate refused it (then it has been answered).
    bool refused(int fd);
    static void refuse(int fd, int status, const QByteArray &reason);
    void outOfResources(int error);

    static constexpr int kMaxAcceptsPerWake = 256;
    static constexpr int kRefusedPerRound = 64;
    static constexpr int kResumeAfterErrorMs = 200;
    QList<ClientPool *> m_pools;
    int m_maxClients;
    std::atomic<int> &m_openConnections;
    ConnectionGate &m_gate;
    std::shared_ptr<const QSslConfiguration> m_tls;
    QSocketNotifier *m_notifier = nullptr;
    int m_next = 0;
    int m_reserveFd = -1; // closed to answer waiting clients when descriptors run out
    bool m_warnedLimit = false;
    bool m_warnedPerAddress = false;
    bool m_outOfDescriptors = false;
    bool m_episodeLogged = false;
    QElapsedTimer m_lastDescriptorWarning;
};
