#pragma once

// Real-socket clients for tests against a running server (in-process or the app). Everything
// waits by spinning the event loop (QTest::qWaitFor) with generous timeouts: a loaded machine
// makes a test slower, never wrong.

#include "multipartreader.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <optional>

namespace TestSupport {

inline constexpr int kWaitMs = 30000;

// Spins the event loop until `predicate` holds. For predicates with side effects (reading a
// socket, fetching /status): QTRY_VERIFY evaluates its expression once more after success.
template<typename Predicate>
[[nodiscard]] bool waitUntil(Predicate predicate, int timeoutMs = kWaitMs)
{
    return QTest::qWaitFor(predicate, timeoutMs);
}

struct HttpResult
{
    ResponseHead head;
    QByteArray body;
    QString error; // empty when a well-formed response came and the server closed
};

// Sends `request` as is (so malformed requests can be sent too) and reads until the server
// closes the connection; the request should say "Connection: close" when it is well formed.
inline HttpResult exchange(quint16 port, const QByteArray &request, int timeoutMs = kWaitMs)
{
    HttpResult result;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs)) {
        result.error = QStringLiteral("connect: ") + socket.errorString();
        return result;
    }
    socket.write(request);
    QByteArray received;
    const bool closed = QTest::qWaitFor(
        [&] {
            received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    received += socket.readAll();
    if (!closed) {
        result.error = QStringLiteral("the server did not close the connection; got %1 bytes")
                           .arg(received.size());
        return result;
    }
    if (!takeResponseHead(received, &result.head, &result.error)) {
        result.error = QStringLiteral("no complete response head in '%1'")
                           .arg(QString::fromLatin1(received.left(200)));
        return result;
    }
    result.body = received;
    if (result.error.isEmpty() && result.head.contentLength() >= 0
        && result.head.contentLength() != result.body.size() && !request.startsWith("HEAD ")) {
        result.error = QStringLiteral("Content-Length %1 but %2 body bytes")
                           .arg(result.head.contentLength())
                           .arg(result.body.size());
    }
    return result;
}

inline HttpResult get(quint16 port, const QByteArray &target, const QByteArray &extraHeaders = {},
                      const QByteArray &method = "GET")
{
    return exchange(port,
                    method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
                        + "Connection: close\r\n\r\n");
}

inline QJsonObject status(quint16 port, const QByteArray &extraHeaders = {})
{
    const HttpResult r = get(port, "/status", extraHeaders);
    if (!r.error.isEmpty() || r.head.status != 200)
        return {};
    return QJsonDocument::fromJson(r.body).object();
}

// A viewer of /stream that reads everything as it comes and checks the framing strictly.
class StreamClient : public QObject
{
public:
    explicit StreamClient(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&m_socket, &QTcpSocket::readyRead, this, &StreamClient::onReadyRead);
        connect(&m_socket, &QTcpSocket::disconnected, this, [this] { ++m_disconnects; });
    }

    void open(quint16 port, const QByteArray &target = "/stream",
              const QByteArray &extraHeaders = {})
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
                       + "\r\n");
    }
    bool waitConnected() { return m_socket.waitForConnected(kWaitMs); }
    void abort() { m_socket.abort(); }
    void close() { m_socket.disconnectFromHost(); }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool isUnconnected() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }
    quint16 localPort() const { return m_socket.localPort(); }
    QTcpSocket &socket() { return m_socket; }

    bool hasHead() const { return m_hasHead; }
    const ResponseHead &head() const { return m_head; }
    // Framing errors and a wrong head both end up here.
    QString error() const { return m_error.isEmpty() && m_reader ? m_reader->error() : m_error; }
    qsizetype frames() const { return m_reader ? m_reader->partsRead() : 0; }
    bool isClosedCleanly() const { return m_reader && m_reader->isClosed(); }
    // The parts read so far, handed over (and forgotten here).
    QList<Part> takeParts() { return m_reader ? m_reader->takeParts() : QList<Part>(); }
    // The parts read and not taken, in order.
    QList<Part> parts() const { return m_reader ? m_reader->parts() : QList<Part>(); }
    // How often the connection was lost (a viewer that must stay connected expects 0).
    int disconnects() const { return m_disconnects; }
    const QByteArray &bodyBytes() const { return m_pendingBody; }

private:
    void onReadyRead()
    {
        const QByteArray bytes = m_socket.readAll();
        if (m_reader) {
            m_reader->feed(bytes);
            return;
        }
        m_pendingBody += bytes;
        if (m_hasHead)
            return;
        QString error;
        if (!takeResponseHead(m_pendingBody, &m_head, &error))
            return;
        m_hasHead = true;
        if (!error.isEmpty()) {
            m_error = error;
            return;
        }
        if (m_head.status != 200)
            return; // the body (an error text) stays in bodyBytes()
        const QByteArray boundary = boundaryOf(m_head.header("Content-Type"));
        if (boundary.isEmpty()) {
            m_error = QStringLiteral("not a multipart Content-Type: ")
                + QString::fromLatin1(m_head.header("Content-Type"));
            return;
        }
        m_reader.emplace(boundary);
        m_reader->feed(std::exchange(m_pendingBody, {}));
    }

    QTcpSocket m_socket;
    bool m_hasHead = false;
    ResponseHead m_head;
    QByteArray m_pendingBody;
    std::optional<MultipartReader> m_reader;
    QString m_error;
    int m_disconnects = 0;
};

} // namespace TestSupport
