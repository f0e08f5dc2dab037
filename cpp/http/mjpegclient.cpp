#include "mjpegclient.h"

#include "clientpool.h"
#include "requesthandler.h"

#include <QDateTime>
#include <QHostAddress>
#include <QLoggingCategory>

#include <cerrno>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace {
constexpr qsizetype kReadChunk = 16 * 1024;
}

MjpegClient::MjpegClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port,
                         qint64 nowMs)
    : m_pool(pool)
    , m_fd(fd)
    , m_parser(pool.config().requestLimits)
    , m_lastProgressMs(nowMs)
{
    m_stats.id = id;
    m_stats.address = address;
    m_stats.port = port;
    m_peerAddress = std::move(address);
    m_peerPort = port;
    const QHostAddress &proxy = pool.config().trustedProxy;
    m_peerIsTrustedProxy = !proxy.isNull()
        && QHostAddress(m_peerAddress).isEqual(proxy, QHostAddress::TolerantConversion);
    m_stats.connectedSinceMs = QDateTime::currentMSecsSinceEpoch();
}

MjpegClient::~MjpegClient()
{
    ::close(m_fd);
}

ClientStats MjpegClient::stats() const
{
    return m_stats.withState(isStreaming(), m_pacer.maxFps);
}

void MjpegClient::sampleRate(double seconds)
{
    m_stats.updateFps(seconds);
}

bool MjpegClient::onReadable(qint64 nowMs)
{
    // Edge-triggered: read until the socket is empty or we would hold too much unparsed input.
    char buffer[kReadChunk];
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            if (m_state == State::Streaming || m_closeWhenWritten)
                continue; // nothing more will be answered; drain and ignore
            m_input.append(buffer, n);
            // Parsed as it comes, so an oversized head gets its 431 from the parser instead of
            // being cut off by the limit below.
            if (m_state == State::ReadingRequest)
                processInput();
            // Pipelined requests are answered one at a time; this much waiting input is abuse.
            if (m_input.size() > 4 * m_pool.config().requestLimits.maxHeadBytes)
                return false;
            continue;
        }
        if (n == 0) {
            // Peer closed, or only half-closed after its request ("nc -N", HTTP/1.0 style):
            // a complete request waiting still gets its answer, then the connection closes.
            if (m_state == State::Streaming || m_inputClosed)
                return false;
            m_inputClosed = true;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        return false;
    }
    if (m_state == State::ReadingRequest)
        processInput();
    if (m_inputClosed && m_state == State::ReadingRequest)
        return false; // no complete request came before the end of input
    return flush(nowMs);
}

void MjpegClient::processInput()
{
    if (m_input.isEmpty())
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
        const HttpResponse response = m_pool.handle(m_parser.request());
        if (response.waitsForFrame()) {
            // Nothing to write until the pool answers; further requests wait in m_input.
            m_state = State::Responding;
            m_pool.awaitFrame(this, m_parser.request(), response.waitsForFrameAfterUs);
            return;
        }
        respond(response);
        return;
    }
    }
}

bool MjpegClient::answer(const HttpResponse &response, qint64 nowMs)
{
    respond(response);
    return flush(nowMs);
}

void MjpegClient::takeForwardedFor(const HttpRequest &request)
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

void MjpegClient::respond(const HttpResponse &response)
{
    m_out.clear();
    m_outFile.reset();
    m_out.append(response.head);
    if (!response.body.isEmpty())
        m_out.append(response.body);
    m_outChunk = 0;
    m_outOffset = 0;
    m_outIsPart = false;
    if (response.startsStream) {
        m_state = State::Streaming;
        m_pacer.start(response.maxFps);
        m_input.clear();
        m_pending = m_pool.latest(); // the viewer sees a picture at once, not at the next frame
        m_demand = m_pool.holdDemand();
        qCInfo(lcHttp).noquote() << "viewer connected:" << m_stats.address << m_stats.port;
    } else {
        m_state = State::Responding;
        m_closeWhenWritten = !response.keepAlive || m_inputClosed;
    }
}

bool MjpegClient::offerFrame(const StreamFrame &frame, qint64 nowUs, qint64 nowMs)
{
    if (m_state != State::Streaming || m_closeWhenWritten)
        return true;
    if (!m_pacer.due(nowUs))
        return true;
    if (!m_out.isEmpty()) {
        if (!m_pending.isNull())
            ++m_stats.framesDropped; // the waiting frame never got its turn
        m_pending = frame;
        return true;
    }
    startPart(frame);
    return flush(nowMs);
}

bool MjpegClient::endStream(qint64 nowMs)
{
    if (m_state != State::Streaming)
        return true;
    m_pending = StreamFrame();
    m_closeWhenWritten = true;
    if (m_out.isEmpty()) {
        m_out.append(Multipart::closingDelimiter());
        m_outChunk = 0;
        m_outOffset = 0;
        m_outIsPart = false;
        return flush(nowMs);
    }
    return true; // the closing delimiter follows the part in flight (see afterMessage)
}

void MjpegClient::startPart(const StreamFrame &frame)
{
    m_out.clear();
    m_outFile = frame.file;
    m_out.append(frame.partHeader);
    m_out.append(frame.frame.jpeg());
    m_out.append(Multipart::partTrailer());
    m_outChunk = 0;
    m_outOffset = 0;
    m_outIsPart = true;
}

bool MjpegClient::onWritable(qint64 nowMs)
{
    return m_out.isEmpty() ? true : flush(nowMs);
}

// Sends the part from its file; true when it is all sent, false with errno set otherwise.
bool MjpegClient::sendFromFile(qint64 nowMs)
{
    while (m_outOffset < m_outFile->size()) {
        off_t offset = off_t(m_outOffset);
        const ssize_t n
            = ::sendfile(m_fd, m_outFile->fd(), &offset, size_t(m_outFile->size() - m_outOffset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (n == 0) {
            errno = EIO; // the file is shorter than it said: should not happen
            return false;
        }
        m_outOffset += n;
        m_stats.bytesSent += quint64(n);
        m_lastProgressMs = nowMs;
    }
    return true;
}

bool MjpegClient::flush(qint64 nowMs)
{
    while (!m_out.isEmpty()) {
        if (m_outFile) {
            if (!sendFromFile(nowMs)) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    return true;
                return false;
            }
            m_outFile.reset();
            ++m_stats.framesSent;
            m_out.clear();
            if (!afterMessage(nowMs))
                return false;
            continue;
        }
        iovec iov[3];
        int count = 0;
        for (qsizetype i = m_outChunk; i < m_out.size(); ++i) {
            const qsizetype skip = i == m_outChunk ? m_outOffset : 0;
            iov[count].iov_base = const_cast<char *>(m_out[i].constData() + skip);
            iov[count].iov_len = size_t(m_out[i].size() - skip);
            ++count;
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = size_t(count);
        const ssize_t n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true; // epoll reports EPOLLOUT when there is room again
            return false;
        }
        m_lastProgressMs = nowMs;
        m_stats.bytesSent += quint64(n);
        qsizetype left = n;
        while (left > 0 && m_outChunk < m_out.size()) {
            const qsizetype room = m_out[m_outChunk].size() - m_outOffset;
            if (left < room) {
                m_outOffset += left;
                left = 0;
            } else {
                left -= room;
                ++m_outChunk;
                m_outOffset = 0;
            }
        }
        if (m_outChunk < m_out.size())
            continue; // partial write: try again, which either proceeds or hits EAGAIN
        if (m_outIsPart)
            ++m_stats.framesSent;
        m_out.clear();
        if (!afterMessage(nowMs))
            return false;
    }
    return true;
}

// Decides what follows a fully written message.
bool MjpegClient::afterMessage(qint64 nowMs)
{
    m_outChunk = 0;
    m_outOffset = 0;
    if (m_state == State::Streaming) {
        if (m_closeWhenWritten) {
            if (m_outIsPart) {
                m_outIsPart = false;
                m_out.append(Multipart::closingDelimiter());
                return true;
            }
            ::shutdown(m_fd, SHUT_WR);
            return false;
        }
        m_outIsPart = false;
        if (!m_pending.isNull()) {
            const StreamFrame next = std::exchange(m_pending, StreamFrame());
            startPart(next);
        }
        return true;
    }
    m_outIsPart = false;
    if (m_closeWhenWritten) {
        ::shutdown(m_fd, SHUT_WR);
        return false;
    }
    // Keep-alive: the next request may already be waiting (pipelining); if it is complete its
    // answer is now in m_out and flush() goes on with it.
    m_state = State::ReadingRequest;
    m_parser.reset();
    m_lastProgressMs = nowMs;
    processInput();
    return true;
}
