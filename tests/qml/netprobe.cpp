#include "netprobe.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QImage>
#include <QSettings>

namespace {
constexpr int kTimeoutMs = 5000;
}

NetProbe::NetProbe(QObject *parent)
    : QObject(parent)
{ }

QByteArray NetProbe::request(int port, const QString &path, const QString &auth, bool headOnly)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    if (!socket.waitForConnected(kTimeoutMs))
        return {};
    QByteArray head
        = "GET " + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!auth.isEmpty())
        head += "Authorization: Basic " + auth.toUtf8().toBase64() + "\r\n";
    socket.write(head + "\r\n");
    QByteArray reply;
    const QDeadlineTimer deadline(kTimeoutMs);
    while (!deadline.hasExpired()) {
        if (headOnly && reply.contains("\r\n\r\n"))
            break;
        if (!socket.waitForReadyRead(int(deadline.remainingTime()))) {
            if (socket.state() != QAbstractSocket::ConnectedState)
                break;
            continue;
        }
        reply += socket.readAll();
    }
    reply += socket.readAll();
    return reply;
}

int NetProbe::status(int port, const QString &path, const QString &auth)
{
    const QByteArray reply = request(port, path, auth, true);
    // "HTTP/1.1 200 OK"
    const QList<QByteArray> parts = reply.left(reply.indexOf("\r\n")).split(' ');
    return parts.size() >= 2 ? parts[1].toInt() : 0;
}

QString NetProbe::body(int port, const QString &path, const QString &auth)
{
    const QByteArray reply = request(port, path, auth, false);
    const int start = reply.indexOf("\r\n\r\n");
    return start < 0 ? QString() : QString::fromUtf8(reply.mid(start + 4));
}

QSize NetProbe::jpegSize(int port, const QString &path)
{
    const QByteArray reply = request(port, path, {}, false);
    const qsizetype start = reply.indexOf("\r\n\r\n");
    if (start < 0)
        return {};
    return QImage::fromData(reply.mid(start + 4), "JPG").size();
}

void NetProbe::openViewers(int port, int count, const QString &target)
{
    for (int i = 0; i < count; ++i) {
        auto *socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
        connect(socket, &QTcpSocket::stateChanged, this, &NetProbe::viewersChanged);
        connect(socket, &QTcpSocket::connected, socket,
                [socket,
                 request = "GET " + target.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"] {
                    socket->write(request);
                });
        socket->connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
        m_viewers.append(socket);
    }
}

void NetProbe::closeViewers()
{
    for (QTcpSocket *socket : std::as_const(m_viewers)) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_viewers.clear();
    emit viewersChanged();
}

int NetProbe::connectedViewers() const
{
    int n = 0;
    for (const QTcpSocket *socket : m_viewers)
        n += socket->state() == QAbstractSocket::ConnectedState;
    return n;
}

int NetProbe::busyPort()
{
    if (!m_busy.isListening())
        m_busy.listen(QHostAddress::Any);
    return m_busy.serverPort();
}

QByteArray NetProbe::fileHead(const QString &path, int bytes) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(bytes);
}

QVariant NetProbe::savedSetting(const QString &key) const
{
    return QSettings().value(key);
}
