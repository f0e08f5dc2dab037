#include "listener.h"

#include "clientpool.h"
#include "connectiongate.h"
#include "requesthandler.h"

#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

Listener::Listener(int maxClients, std::atomic<int> &openConnections, ConnectionGate &gate,
                   std::shared_ptr<const QSslConfiguration> tls)
    : m_maxClients(maxClients)
    , m_openConnections(openConnections)
    , m_gate(gate)
    , m_tls(std::move(tls))
{
    m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

Listener::~Listener()
{
    if (m_reserveFd >= 0)
        ::close(m_reserveFd);
}

bool Listener::start(const QHostAddress &host, quint16 port)
{
    if (!listen(host, port))
        return false;
    pauseAccepting();
    m_notifier = new QSocketNotifier(socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Listener::acceptAll);
    return true;
}

void Listener::stop()
{
    delete m_notifier;
    m_notifier = nullptr;
    close();
}

void Listener::acceptAll()
{
    for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
        const int fd
            = ::accept4(int(socketDescriptor()), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            admit(fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            outOfResources(errno);
        return;
    }
}

void Listener::admit(int fd)
{
    if (m_outOfDescriptors) {
        if (std::exchange(m_episodeLogged, false))
            qCInfo(lcHttp) << "accepting connections again";
        m_outOfDescriptors = false;
    }
    if (refused(fd))
        return;
    ++m_openConnections;
    ClientPool *pool = m_pools[m_next];
    m_next = (m_next + 1) % m_pools.size();
    if (m_tls) {
        QMetaObject::invokeMethod(
            pool, [pool, fd, tls = m_tls] { pool->adoptTls(fd, tls); }, Qt::QueuedConnection);
    } else {
        QMetaObject::invokeMethod(
            pool, [pool, fd] { pool->adopt(fd); }, Qt::QueuedConnection);
    }
}

bool Listener::refused(int fd)
{
    if (m_openConnections.load() >= m_maxClients) {
        if (!std::exchange(m_warnedLimit, true))
            qCWarning(lcHttp) << "client limit reached:" << m_maxClients
                              << "connections; refusing more (--max-clients)";
        refuse(fd, 503, "too many clients");
        return true;
    }
    const QString address = ConnectionGate::peerAddress(fd);
    switch (m_gate.admit(address)) {
    case ConnectionGate::Verdict::Forbidden:
        qCDebug(lcHttp).noquote() << "refused" << address << "(not in --allow)";
        refuse(fd, 403, "your address is not allowed");
        return true;
    case ConnectionGate::Verdict::TooManyFromAddress:
        if (!std::exchange(m_warnedPerAddress, true))
            qCWarning(lcHttp).noquote() << "too many connections from" << address
                                        << "- refusing more (--max-clients-per-address)";
        refuse(fd, 503, "too many connections from your address");
        return true;
    case ConnectionGate::Verdict::Admit:
        break;
    }
    return false;
}

void Listener::refuse(int fd, int status, const QByteArray &reason)
{
    HttpHeaders headers;
    if (status == 503)
        headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("10")));
    const HttpResponse response = RequestHandler::error(status, reason, headers);
    const QByteArray bytes = response.head + response.body;
    // Fits in any fresh socket buffer, so it never blocks; if it does not go, too bad.
    // (Over TLS the client sees a failed handshake instead of this text.)
    [[maybe_unused]] const ssize_t n
        = ::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
}

void Listener::outOfResources(int error)
{
    // Near the limit, descriptors come and go (per-frame part files, viewers leaving), so
    // episodes can follow each other quickly: say it once a minute at most.
    if (!m_outOfDescriptors
        && (!m_lastDescriptorWarning.isValid() || m_lastDescriptorWarning.elapsed() > 60000)) {
        m_lastDescriptorWarning.start();
        m_episodeLogged = true;
        qCWarning(lcHttp).noquote()
            << "cannot accept connections:" << strerror(error)
            << "- refusing new ones until descriptors are free (raise the open files limit, "
               "ulimit -n, or lower --max-clients)";
    }
    m_outOfDescriptors = true;
    // With one descriptor set free, the waiting clients get an answer and a close rather
    // than hanging in the backlog; a few per round, the rest at the next round.
    if (m_reserveFd >= 0) {
        ::close(m_reserveFd);
        m_reserveFd = -1;
    }
    for (int i = 0; i < kRefusedPerRound; ++i) {
        const int fd = ::accept4(int(socketDescriptor()), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            break;
        refuse(fd, 503, "server out of resources");
    }
    m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    // A pause, not a spin: accept() would fail at once again while nothing has closed.
    m_notifier->setEnabled(false);
    QTimer::singleShot(kResumeAfterErrorMs, this, [this] {
        if (m_notifier)
            m_notifier->setEnabled(true);
    });
}
