#include "connection.h"

#include "clientpool.h"
#include "requesthandler.h"

#include <QDateTime>
#include <QHostAddress>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

Connection::Connection(ClientPool &pool, quint64 id, QString address, quint16 port, qint64 nowMs)
    : m_pool(pool)
    , m_lastProgressMs(nowMs)
    , m_parser(pool.config().requestLimits)
    , m_peerAddress(address)
    , m_peerPort(port)
{
    m_stats.id = id;
    m_stats.address = std::move(address);
    m_stats.port = port;
    m_stats.connectedSinceMs = QDateTime::currentMSecsSinceEpoch();
    const QHostAddress &proxy = pool.config().trustedProxy;
    m_peerIsTrustedProxy = !proxy.isNull()
        && QHostAddress(m_peerAddress).isEqual(proxy, QHostAddress::TolerantConversion);
}

Connection::~Connection() = default;

ClientStats Connection::stats() const
{
    return m_stats.withState(isStreaming(), m_pacer.maxFps);
}

void Connection::sampleRate(double seconds)
{
    m_stats.updateFps(seconds);
}

bool Connection::onEpollEvents(std::uint32_t, qint64)
{
    return true;
}

bool Connection::isUnresponsive(qint64 nowMs) const
{
    const qint64 quiet = nowMs - m_lastProgressMs;
    switch (m_state) {
    case State::Handshake:
    case State::ReadingRequest:
        // A started request must finish in time (slowloris), and so must a handshake.
        return quiet > m_pool.config().requestTimeoutMs;
    case State::Responding:
    case State::Streaming:
    case State::Closing:
        break;
    }
    return isWaitingToWrite() && quiet > m_pool.config().sendTimeoutMs;
}

bool Connection::beginShutdown(qint64 nowMs)
{
    switch (m_state) {
    case State::Streaming:
        return endStream(nowMs);
    case State::Handshake:
    case State::ReadingRequest:
        return closeIdle(); // nothing owed to it
    case State::Responding:
    case State::Closing:
        break; // the next request, if any, gets a closing 503 (ClientPool::handle())
    }
    return true;
}

bool Connection::receive(QByteArrayView bytes)
{
    if (m_state == State::Streaming || m_state == State::Closing || m_closeWhenWritten)
        return true; // nothing more will be answered; drained and ignored
    m_input.append(bytes);
    // Parsed as it comes, so an oversized head gets its 431 from the parser instead of being
    // cut off by the limit below.
    processInput();
    // Pipelined requests are answered one at a time; this much waiting input is abuse.
    return m_input.size() <= 4 * m_pool.config().requestLimits.maxHeadBytes;
}

void Connection::processInput()
{
    if (m_input.isEmpty() || m_state != State::ReadingRequest)
        return;
    const qsizetype used = m_parser.feed(m_input);
    m_input.remove(0, used);
    switch (m_parser.state()) {
    case HttpRequestParser::State::Incomplete:
        return;
    case HttpRequestParser::State::Error:
        qCDebug(lcHttp).noquote() << m_stats.address << "bad request:" << m_parser.errorStatus()
                                  << m_parser.errorReason();
        respond(RequestHandler::error(m_parser.errorStatus(), m_parser.errorReason()));
        return;
    case HttpRequestParser::State::Complete: {
        if (m_peerIsTrustedProxy)
            takeForwardedFor(m_parser.request());
        HttpRequest request = m_parser.request();
        request.peer = m_stats.address; // who may change controls; who did, for the log
        ProfileSet::Ticket ticket;
        std::shared_ptr<CameraFeed> feed;
        const HttpResponse response = m_pool.handle(&request, &ticket, &feed);
        if (response.setsControls) {
            m_state = State::Responding; // the source answers, on its thread, later
            m_pool.requestControls(id(), feed ? feed->id : -1, request, response);
            return;
        }
        if (response.waitsForFrame()) {
            // Nothing to write until the pool answers; further requests wait in m_input.
            m_state = State::Responding;
            m_pool.awaitFrame(id(), request, response.waitsForFrameAfterUs, std::move(ticket),
                              std::move(feed));
            return;
        }
        respond(response, std::move(ticket), std::move(feed));
        return;
    }
    }
}

bool Connection::answer(const HttpResponse &response, qint64 nowMs, ProfileSet::Ticket ticket,
                        std::shared_ptr<CameraFeed> feed)
{
    respond(response, std::move(ticket), std::move(feed));
    return flushWritten(nowMs);
}

void Connection::takeForwardedFor(const HttpRequest &request)
{
    // A proxy appends the address it saw, so only the last entry is vouched for; earlier ones
    // came from the viewer and may be forged. A proxy keeps connections alive for other viewers,
    // hence per request, and its own address when it names nobody.
    const QByteArray header = request.header("x-forwarded-for");
    const QByteArray last = header.mid(header.lastIndexOf(',') + 1).trimmed();
    QHostAddress viewer;
    const bool named = !last.isEmpty() && viewer.setAddress(QString::fromLatin1(last));
    m_stats.address = named ? viewer.toString() : m_peerAddress;
    m_stats.port = named ? 0 : m_peerPort; // the viewer's port is the proxy's secret
}

void Connection::respond(const HttpResponse &response, ProfileSet::Ticket ticket,
                         std::shared_ptr<CameraFeed> feed)
{
    write(response);
    if (feed)
        m_stats.camera = feed->id; // what it is sent counts for that camera
    if (response.startsStream) {
        m_feed = std::move(feed); // never null: a stream is of a camera's frames
        m_state = State::Streaming;
        m_pacer.start(response.maxFps);
        m_stats.viewer = QString::fromLatin1(response.viewerLabel);
        m_ticket = std::move(ticket);
        m_stats.profileId = m_ticket.id();
        m_stats.profile = QString::fromLatin1(m_ticket.choice().sizeText());
        m_input.clear();
        // The viewer sees a picture at once, not at the next frame.
        m_pending = m_pool.latest(m_feed->id, m_ticket.id());
        m_demand = m_feed->demand.hold(m_ticket.id());
        qCInfo(lcHttp).noquote() << QLatin1String(kind()) + QLatin1String("viewer connected:")
                                 << m_stats.address << m_stats.port;
    } else {
        m_state = State::Responding;
        m_closeWhenWritten = !response.keepAlive || m_inputClosed;
    }
}

void Connection::readNextRequest(qint64 nowMs)
{
    // Keep-alive: the next request may already be waiting (pipelining); if it is complete, its
    // answer is queued now.
    m_state = State::ReadingRequest;
    m_parser.reset();
    m_lastProgressMs = nowMs;
    processInput();
}

bool Connection::isDue(qint64 nowUs)
{
    return m_state == State::Streaming && !m_closeWhenWritten && m_pacer.due(nowUs);
}

void Connection::keepPending(const StreamFrame &frame)
{
    if (!m_pending.isNull())
        ++m_stats.framesDropped; // the waiting frame never got its turn
    m_pending = frame;
}
