#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

// A real viewer of /stream for the tests: one TCP connection, the multipart stream parsed
// part by part (Content-Length framed), every JPEG kept.
class MjpegViewer : public QObject
{
    Q_OBJECT
public:
    explicit MjpegViewer(quint16 port, QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&m_socket, &QTcpSocket::readyRead, this, &MjpegViewer::onReadyRead);
        connect(&m_socket, &QTcpSocket::disconnected, this, [this] { ++disconnects; });
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        m_socket.write("GET /stream HTTP/1.1\r\nHost: test\r\n\r\n");
    }

    QList<QByteArray> parts;
    int disconnects = 0;
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    void onReadyRead()
    {
        m_buffer += m_socket.readAll();
        if (!m_headDone) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            m_buffer.remove(0, end + 4);
            m_headDone = true;
        }
        for (;;) {
            const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QByteArray head = m_buffer.left(headEnd).toLower();
            const qsizetype at = head.indexOf("content-length:");
            if (at < 0)
                return;
            const qsizetype eol = head.indexOf('\r', at);
            const int length = head.mid(at + 15, eol - at - 15).trimmed().toInt();
            if (m_buffer.size() < headEnd + 4 + length)
                return;
            parts.append(m_buffer.mid(headEnd + 4, length));
            m_buffer.remove(0, headEnd + 4 + length);
        }
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_headDone = false;
};
