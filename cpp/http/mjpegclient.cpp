#include "mjpegclient.h"

#include "requesthandler.h"

#include <cerrno>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {
constexpr qsizetype kReadChunk = 16 * 1024;
}

MjpegClient::MjpegClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port,
                         qint64 nowMs)
    : Connection(pool, id, std::move(address), port, nowMs)
    , m_fd(fd)
{ }

MjpegClient::~MjpegClient()
{
    ::close(m_fd); // which also takes it out of the pool's epoll set
}

bool MjpegClient::onEpollEvents(std::uint32_t events, qint64 nowMs)
{
    if (events & EPOLLERR)
        return false;
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) && !onReadable(nowMs))
        return false;
    if ((events & EPOLLOUT) && !m_out.isEmpty())
        return flush(nowMs);
    return true;
}

bool MjpegClient::onReadable(qint64 nowMs)
{
    // Edge-triggered: read until the socket is empty or we would hold too much unparsed input.
    char buffer[kReadChunk];
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            if (!receive(QByteArrayView(buffer, n)))
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
    processInput();
    if (m_inputClosed && m_state == State::ReadingRequest)
        return false; // no complete request came before the end of input
    return flush(nowMs);
}

void MjpegClient::write(const HttpResponse &response)
{
    m_out.clear();
    m_outFile.reset();
    m_out.append(response.head);
    if (!response.body.isEmpty())
        m_out.append(response.body);
    m_outChunk = 0;
    m_outOffset = 0;
    m_outIsPart = false;
}

bool MjpegClient::offerFrame(const StreamFrame &frame, qint64 nowUs, qint64 nowMs)
{
    if (!isDue(nowUs))
        return true;
    if (!m_out.isEmpty()) {
        keepPending(frame);
        return true;
    }
    startPart(frame);
    return flush(nowMs);
}

bool MjpegClient::endStream(qint64 nowMs)
{
    if (m_state != State::Streaming)
        return true;
    dropPending();
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
        const StreamFrame next = takePending();
        if (!next.isNull())
            startPart(next);
        return true;
    }
    m_outIsPart = false;
    if (m_closeWhenWritten) {
        ::shutdown(m_fd, SHUT_WR);
        return false;
    }
    // If the next request is waiting and complete, its answer is now in m_out and flush() goes
    // on with it.
    readNextRequest(nowMs);
    return true;
}
