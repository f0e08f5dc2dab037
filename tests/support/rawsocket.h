#pragma once

#include <QByteArray>
#include <QElapsedTimer>

#include <utility>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

// A plain TCP client for tests that must control every byte and every close (a QTcpSocket
// hides half-closes and buffers on its own). Blocking connect, non-blocking I/O with deadlines.
namespace TestSupport {

class RawSocket
{
public:
    RawSocket() = default;
    ~RawSocket() { close(); }
    RawSocket(const RawSocket &) = delete;
    RawSocket &operator=(const RawSocket &) = delete;
    RawSocket(RawSocket &&other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    { }

    // from: local IPv4 address to connect from (any 127.x.y.z works on Linux loopback).
    bool connectTo(quint16 port, const char *from = nullptr, const char *to = "127.0.0.1")
    {
        close();
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            return false;
        if (from) {
            sockaddr_in local{};
            local.sin_family = AF_INET;
            ::inet_pton(AF_INET, from, &local.sin_addr);
            if (::bind(m_fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0)
                return false;
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        ::inet_pton(AF_INET, to, &address.sin_addr);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            return false;
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
        return true;
    }
    bool isOpen() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }
    // Smaller receive buffer: a viewer that stops reading stalls the server sooner.
    void setReceiveBuffer(int bytes)
    {
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }

    // False when the peer is gone.
    bool send(const QByteArray &bytes, int timeoutMs = 5000)
    {
        qsizetype done = 0;
        QElapsedTimer timer;
        timer.start();
        while (done < bytes.size()) {
            const ssize_t n
                = ::send(m_fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
            if (n > 0) {
                done += n;
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                return false;
            if (timer.elapsed() > timeoutMs)
                return false;
            pollFor(POLLOUT, 50);
        }
        return true;
    }

    // Reads what arrives until `until` returns true, the peer closes or the time is up.
    template<typename Done>
    QByteArray readUntil(Done &&until, int timeoutMs, bool *peerClosed = nullptr)
    {
        QByteArray data;
        QElapsedTimer timer;
        timer.start();
        if (peerClosed)
            *peerClosed = false;
        while (!until(data)) {
            const int left = timeoutMs - int(timer.elapsed());
            if (left <= 0)
                break;
            if (!readAvailable(&data, qMin(left, 100))) {
                if (peerClosed)
                    *peerClosed = true;
                break;
            }
        }
        return data;
    }
    QByteArray readAll(int timeoutMs, bool *peerClosed = nullptr)
    {
        return readUntil([](const QByteArray &) { return false; }, timeoutMs, peerClosed);
    }
    // Appends what is there within waitMs; false once the peer has closed (FIN or reset).
    bool readAvailable(QByteArray *data, int waitMs)
    {
        pollFor(POLLIN, waitMs);
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                data->append(buffer, n);
                continue;
            }
            if (n == 0)
                return false;
            return errno == EAGAIN || errno == EINTR;
        }
    }

private:
    void pollFor(short events, int ms)
    {
        pollfd p{m_fd, events, 0};
        ::poll(&p, 1, ms);
    }
    int m_fd = -1;
};

} // namespace TestSupport
