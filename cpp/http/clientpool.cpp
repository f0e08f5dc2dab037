#include "clientpool.h"

#include "connectiongate.h"
#include "mjpegclient.h"
#include "tlsclient.h"

#include "capture/rawframe.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace {
constexpr int kMaxEventsPerWait = 256;
constexpr int kStatsIntervalMs = 250;
constexpr int kSweepIntervalMs = 500;
// The least a /snapshot waits for a fresh frame before it is answered 503.
constexpr qint64 kMinFrameWaitMs = 2000;

qint64 monotonicUs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

} // namespace

ClientPool::ClientPool(int index, const ServerConfig &config, const RequestHandler &handler,
                       std::atomic<int> &openConnections, ConnectionGate &gate, QObject *parent)
    : QObject(parent)
    , m_index(index)
    , m_config(config)
    , m_handler(handler)
    , m_openConnections(openConnections)
    , m_gate(gate)
    , m_waitTimer(this)
    , m_sweepTimer(this)
    , m_statsTimer(this)
{
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] { answerWaiters(); });
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0)
        qFatal("epoll_create1 failed: %s", strerror(errno));
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ClientPool::onEvents);
    connect(&m_sweepTimer, &QTimer::timeout, this, &ClientPool::sweep);
    connect(&m_statsTimer, &QTimer::timeout, this, &ClientPool::publishStats);
    m_sweepTimer.start(kSweepIntervalMs);
    m_statsTimer.start(kStatsIntervalMs);
    m_sinceStats.start();
}

ClientPool::~ClientPool()
{
    closeAll();
    ::close(m_epoll);
}

qint64 ClientPool::nowMs() const
{
    return monotonicUs() / 1000;
}

HttpResponse ClientPool::handle(const HttpRequest &request) const
{
    // Error answers close the connection, so a request arriving during shutdown is the last.
    if (m_shuttingDown)
        return RequestHandler::error(503, "the server is shutting down");
    RequestHandler::State state{m_streaming, m_latest, m_status, m_credentials};
    // Snapshots are fresh only where an encoder can be woken for them.
    if (m_demand && m_demand->hasListener())
        state.freshAfterUs = wallClockUs();
    return m_handler.handle(request, state);
}

FrameDemand::Hold ClientPool::holdDemand()
{
    return m_demand ? m_demand->hold() : FrameDemand::Hold();
}

qint64 ClientPool::frameWaitMs() const
{
    // The next frame normally comes within a frame interval plus an encode; a busy machine or a
    // slow source gets some slack before the request is given up.
    const double fps = m_status ? m_status->source.fps : 0;
    const qint64 intervalMs = fps > 0 ? qint64(1000 / fps) : 1000;
    return qMax<qint64>(kMinFrameWaitMs, 3 * intervalMs);
}

void ClientPool::awaitFrame(MjpegClient *client, const HttpRequest &request, qint64 afterUs)
{
    FrameWaiter waiter;
    waiter.plain = client;
    waiter.request = request;
    waiter.afterUs = afterUs;
    addWaiter(std::move(waiter));
}

void ClientPool::awaitFrame(TlsClient *client, const HttpRequest &request, qint64 afterUs)
{
    FrameWaiter waiter;
    waiter.tls = client;
    waiter.request = request;
    waiter.afterUs = afterUs;
    addWaiter(std::move(waiter));
}

void ClientPool::addWaiter(FrameWaiter waiter)
{
    waiter.deadlineMs = nowMs() + frameWaitMs();
    waiter.demand = holdDemand();
    m_waiters.push_back(std::move(waiter));
    armWaitTimer();
}

void ClientPool::armWaitTimer()
{
    if (m_waiters.empty()) {
        m_waitTimer.stop();
        return;
    }
    qint64 earliest = m_waiters.front().deadlineMs;
    for (const FrameWaiter &w : m_waiters)
        earliest = qMin(earliest, w.deadlineMs);
    m_waitTimer.start(int(qBound(qint64(0), earliest - nowMs(), qint64(60000))));
}

void ClientPool::answerWaiters(bool expireAll)
{
    if (m_waiters.empty())
        return;
    const qint64 now = nowMs();
    std::vector<std::pair<FrameWaiter, HttpResponse>> ready;
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        RequestHandler::State state{m_streaming, m_latest, m_status, m_credentials};
        state.freshAfterUs = it->afterUs;
        state.freshWaitExpired = expireAll || now >= it->deadlineMs;
        HttpResponse response = m_shuttingDown
            ? RequestHandler::error(503, "the server is shutting down")
            : m_handler.handle(it->request, state);
        if (response.waitsForFrame()) {
            ++it;
            continue;
        }
        ready.emplace_back(std::move(*it), std::move(response));
        it = m_waiters.erase(it);
    }
    // Answered once the list is settled: an answer may close its client, or go on with the
    // client's next (pipelined) request, which may wait in turn.
    for (auto &[waiter, response] : ready) {
        if (waiter.plain && !waiter.plain->answer(response, nowMs()))
            close(waiter.plain);
        else if (waiter.tls)
            waiter.tls->answer(response);
    }
    armWaitTimer();
}

void ClientPool::forgetWaiter(const void *client)
{
    const auto gone = [client](const FrameWaiter &w) {
        return w.plain == client || static_cast<const void *>(w.tls) == client;
    };
    m_waiters.erase(std::remove_if(m_waiters.begin(), m_waiters.end(), gone), m_waiters.end());
}

quint64 ClientPool::nextId()
{
    // Unique across the whole server, not only this thread: the pool's index in the top bits.
    return (quint64(m_index) << 48) | m_nextId++;
}

void ClientPool::adopt(int fd)
{
    const int one = 1;
    // Small parts (headers, the trailing CRLF) must not wait for the peer's delayed ACK.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (m_config.clientBufferBytes > 0) {
        // Caps what the kernel holds for a slow viewer (it doubles the value for bookkeeping).
        const int bytes = m_config.clientBufferBytes;
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
    }
    quint16 port = 0;
    const QString address = ConnectionGate::peerAddress(fd, &port);
    auto client = std::make_unique<MjpegClient>(*this, fd, nextId(), address, port, nowMs());
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.fd = fd;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        qCWarning(lcHttp) << "epoll_ctl failed:" << strerror(errno);
        m_gate.release(address);
        --m_openConnections;
        return; // the client's destructor closes the socket
    }
    ++m_connectionsTotal;
    m_clients.emplace(fd, std::move(client));
}

void ClientPool::adoptTls(int fd, std::shared_ptr<const QSslConfiguration> tls)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    quint16 port = 0;
    const QString address = ConnectionGate::peerAddress(fd, &port);
    auto client = std::make_unique<TlsClient>(*this, fd, nextId(), address, port, *tls, nowMs());
    connect(client.get(), &TlsClient::finished, this, &ClientPool::closeTls, Qt::QueuedConnection);
    ++m_connectionsTotal;
    m_tlsClients.emplace(client.get(), std::move(client));
}

void ClientPool::closeTls(TlsClient *client)
{
    const auto it = m_tlsClients.find(client);
    if (it == m_tlsClients.end())
        return;
    const ClientStats s = client->stats();
    m_bytesOfClosed += s.bytesSent;
    m_framesOfClosed += s.framesSent;
    m_gate.release(s.address);
    forgetWaiter(client);
    client->releaseDemand();
    it->second.release()->deleteLater(); // it may be inside one of its socket's signals
    m_tlsClients.erase(it);
    --m_openConnections;
}

void ClientPool::onEvents()
{
    epoll_event events[kMaxEventsPerWait];
    for (;;) {
        const int n = ::epoll_wait(m_epoll, events, kMaxEventsPerWait, 0);
        if (n <= 0)
            return;
        const qint64 now = nowMs();
        for (int i = 0; i < n; ++i) {
            const auto it = m_clients.find(events[i].data.fd);
            if (it == m_clients.end())
                continue;
            MjpegClient *client = it->second.get();
            const uint32_t e = events[i].events;
            bool alive = !(e & EPOLLERR);
            if (alive && (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)))
                alive = client->onReadable(now);
            if (alive && (e & EPOLLOUT))
                alive = client->onWritable(now);
            if (!alive)
                close(client);
        }
        if (n < kMaxEventsPerWait)
            return;
    }
}

void ClientPool::offer(const StreamFrame &frame)
{
    QMutexLocker lock(&m_offeredMutex);
    m_offered = frame;
    if (m_offeredWaiting) {
        ++m_framesSkipped;
        return;
    }
    m_offeredWaiting = true;
    lock.unlock();
    QMetaObject::invokeMethod(this, &ClientPool::takeOffered, Qt::QueuedConnection);
}

void ClientPool::takeOffered()
{
    StreamFrame frame;
    {
        QMutexLocker lock(&m_offeredMutex);
        frame = std::exchange(m_offered, StreamFrame());
        m_offeredWaiting = false;
    }
    publish(frame);
}

void ClientPool::publish(const StreamFrame &frame)
{
    m_latest = frame;
    answerWaiters();
    if (!m_streaming)
        return;
    const qint64 nowUs = monotonicUs();
    const qint64 now = nowUs / 1000;
    m_publishOrder.clear();
    for (auto &[fd, client] : m_clients) {
        if (client->isStreaming())
            m_publishOrder.push_back(client.get());
    }
    const size_t count = m_publishOrder.size();
    // Each frame starts about 0.618 of the way round from the last start (the golden ratio
    // spreads the starts evenly), so every viewer is early as often as late.
    m_publishStart = count ? (m_publishStart + count * 618 / 1000 + 1) % count : 0;
    // Collect first: closing a client while iterating would invalidate the list.
    QVarLengthArray<MjpegClient *, 64> dead;
    for (size_t i = 0; i < count; ++i) {
        MjpegClient *client = m_publishOrder[(m_publishStart + i) % count];
        if (!client->offerFrame(frame, nowUs, now))
            dead.append(client);
    }
    for (MjpegClient *client : dead)
        close(client);
    for (auto &[key, client] : m_tlsClients)
        client->offerFrame(frame, nowUs);
}

void ClientPool::setStreaming(bool on)
{
    if (m_streaming == on)
        return;
    m_streaming = on;
    if (on)
        return;
    answerWaiters(true); // 503: streaming is off
    const qint64 now = nowMs();
    QVarLengthArray<MjpegClient *, 64> dead;
    for (auto &[fd, client] : m_clients) {
        if (!client->endStream(now))
            dead.append(client.get());
    }
    for (MjpegClient *client : dead)
        close(client);
    for (auto &[key, client] : m_tlsClients) {
        if (client->isStreaming())
            client->endStream();
    }
}

void ClientPool::setStatus(std::shared_ptr<const ServerStatus> status)
{
    m_status = std::move(status);
}

void ClientPool::setCredentials(std::shared_ptr<const Credentials> credentials)
{
    m_credentials = std::move(credentials);
}

void ClientPool::closeAll()
{
    m_waiters.clear();
    const qint64 now = nowMs();
    for (auto &[fd, client] : m_clients)
        client->endStream(now); // best effort: a clean end for whoever can take it right now
    while (!m_clients.empty())
        close(m_clients.begin()->second.get());
    while (!m_tlsClients.empty())
        closeTls(m_tlsClients.begin()->first);
}

void ClientPool::beginShutdown()
{
    m_shuttingDown = true;
    answerWaiters(true);
    const qint64 now = nowMs();
    QVarLengthArray<MjpegClient *, 64> done;
    for (auto &[fd, client] : m_clients) {
        switch (client->state()) {
        case MjpegClient::State::Streaming:
            if (!client->endStream(now))
                done.append(client.get());
            break;
        case MjpegClient::State::ReadingRequest:
            done.append(client.get()); // nothing owed to it
            break;
        case MjpegClient::State::Responding:
            break; // the next request, if any, gets a closing 503 (handle())
        }
    }
    for (MjpegClient *client : done)
        close(client);
    for (auto &[key, client] : m_tlsClients)
        client->endStream();
}

void ClientPool::close(MjpegClient *client)
{
    const ClientStats s = client->stats();
    if (s.streaming)
        qCInfo(lcHttp).noquote() << "viewer disconnected:" << s.address << s.port << "after"
                                 << s.framesSent << "frames," << s.framesDropped << "dropped";
    m_bytesOfClosed += s.bytesSent;
    m_framesOfClosed += s.framesSent;
    m_droppedOfClosed += s.framesDropped;
    const int fd = client->fd();
    m_gate.release(s.address);
    forgetWaiter(client);
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    m_clients.erase(fd); // closes the socket
    --m_openConnections;
}

void ClientPool::sweep()
{
    const qint64 now = nowMs();
    QVarLengthArray<MjpegClient *, 16> expired;
    for (auto &[fd, client] : m_clients) {
        const qint64 quiet = now - client->lastProgressMs();
        bool expire = false;
        switch (client->state()) {
        case MjpegClient::State::ReadingRequest:
            // A started request must finish in time (slowloris); an idle keep-alive may wait
            // longer.
            expire = quiet > m_config.requestTimeoutMs;
            break;
        case MjpegClient::State::Responding:
        case MjpegClient::State::Streaming:
            expire = client->isWaitingToWrite() && quiet > m_config.sendTimeoutMs;
            break;
        }
        if (expire)
            expired.append(client.get());
    }
    for (MjpegClient *client : expired) {
        qCInfo(lcHttp).noquote() << "closing unresponsive connection from"
                                 << client->stats().address;
        close(client);
    }
    QVarLengthArray<TlsClient *, 16> expiredTls;
    for (auto &[key, client] : m_tlsClients) {
        const qint64 quiet = now - client->lastProgressMs();
        const bool reading = client->state() == TlsClient::State::Handshake
            || client->state() == TlsClient::State::ReadingRequest;
        if ((reading && quiet > m_config.requestTimeoutMs)
            || (!reading && client->isWaitingToWrite() && quiet > m_config.sendTimeoutMs))
            expiredTls.append(client.get());
    }
    for (TlsClient *client : expiredTls) {
        qCInfo(lcHttp).noquote() << "closing unresponsive TLS connection from" << client->address();
        closeTls(client);
    }
}

void ClientPool::publishStats()
{
    const double seconds = m_sinceStats.restart() / 1000.0;
    PoolStats stats;
    stats.pool = m_index;
    stats.clients.reserve(qsizetype(m_clients.size()));
    quint64 bytes = m_bytesOfClosed;
    quint64 frames = m_framesOfClosed;
    quint64 dropped = m_droppedOfClosed;
    for (auto &[fd, client] : m_clients) {
        client->sampleRate(seconds);
        stats.clients.append(client->stats());
        bytes += stats.clients.constLast().bytesSent;
        frames += stats.clients.constLast().framesSent;
        dropped += stats.clients.constLast().framesDropped;
    }
    for (auto &[key, client] : m_tlsClients) {
        client->sampleRate(seconds);
        stats.clients.append(client->stats());
        bytes += stats.clients.constLast().bytesSent;
        frames += stats.clients.constLast().framesSent;
    }
    stats.bytesSentTotal = bytes;
    stats.framesSentTotal = frames;
    stats.framesDroppedTotal = dropped;
    {
        QMutexLocker lock(&m_offeredMutex);
        stats.framesSkippedTotal = m_framesSkipped;
    }
    stats.connectionsTotal = m_connectionsTotal;
    emit statsReady(stats);
}
