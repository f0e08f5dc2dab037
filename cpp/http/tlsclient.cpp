#include "tlsclient.h"

#include "clientpool.h"
#include "requesthandler.h"

#include <QLoggingCategory>
#include <QSslSocket>

#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

TlsClient::TlsClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port,
                     const QSslConfiguration &tls, qint64 nowMs)
    : Connection(pool, id, std::move(address), port, nowMs)
    , m_socket(new QSslSocket)
{
    m_state = State::Handshake;
    m_socket->setSslConfiguration(tls);
    // Received bytes beyond what a request may hold are abuse, as on the plain path.
    m_socket->setReadBufferSize(4 * pool.config().requestLimits.maxHeadBytes);
    QObject::connect(m_socket, &QSslSocket::encrypted, m_socket, [this] {
        m_state = State::ReadingRequest;
        onReadyRead();
    });
    QObject::connect(m_socket, &QSslSocket::readyRead, m_socket, [this] { onReadyRead(); });
    QObject::connect(m_socket, &QSslSocket::encryptedBytesWritten, m_socket,
                     [this](qint64 bytes) { onWritten(bytes); });
    QObject::connect(m_socket, &QSslSocket::disconnected, m_socket, [this] { finish(); });
    QObject::connect(
        m_socket, &QSslSocket::errorOccurred, m_socket, [this](QAbstractSocket::SocketError) {
            if (m_state == State::Handshake)
                qCDebug(lcHttp).noquote()
                    << m_stats.address << "TLS handshake failed:" << m_socket->errorString();
            finish();
        });
    if (!m_socket->setSocketDescriptor(fd)) {
        ::close(fd);
        finish();
        return;
    }
    m_socket->startServerEncryption();
}

TlsClient::~TlsClient()
{
    // The pool closes connections from its own slots and timers, never inside one of the
    // socket's signals, so the socket can go at once; it calls nothing here any more.
    QObject::disconnect(m_socket, nullptr, nullptr, nullptr);
    m_socket->abort();
    delete m_socket;
}

bool TlsClient::isWaitingToWrite() const
{
    return m_socket->bytesToWrite() > 0 || m_socket->encryptedBytesToWrite() > 0;
}

void TlsClient::onReadyRead()
{
    if (!receive(m_socket->readAll()))
        finish();
}

void TlsClient::write(const HttpResponse &response)
{
    m_socket->write(response.head);
    m_socket->write(response.body);
}

bool TlsClient::offerFrame(const StreamFrame &frame, qint64 nowUs, qint64)
{
    if (!isDue(nowUs))
        return true;
    if (isWaitingToWrite())
        keepPending(frame);
    else
        writePart(frame);
    return true;
}

void TlsClient::writePart(const StreamFrame &frame)
{
    m_socket->write(frame.partHeader);
    m_socket->write(frame.frame.jpeg());
    m_socket->write(Multipart::partTrailer());
    m_partInFlight = true;
}

bool TlsClient::endStream(qint64)
{
    if (m_state == State::Streaming) {
        dropPending();
        m_socket->write(Multipart::closingDelimiter());
        closeAfterWriting();
    }
    return true;
}

bool TlsClient::closeIdle()
{
    closeAfterWriting();
    return true;
}

void TlsClient::closeAfterWriting()
{
    m_state = State::Closing;
    m_socket->disconnectFromHost(); // flushes what is written, then closes
}

void TlsClient::onWritten(qint64 bytes)
{
    m_stats.bytesSent += quint64(bytes);
    m_lastProgressMs = m_pool.nowMs();
    if (isWaitingToWrite())
        return;
    if (m_partInFlight) {
        m_partInFlight = false;
        ++m_stats.framesSent;
    }
    switch (m_state) {
    case State::Streaming:
        if (const StreamFrame next = takePending(); !next.isNull())
            writePart(next);
        return;
    case State::Responding:
        if (m_closeWhenWritten)
            closeAfterWriting();
        else
            readNextRequest(m_lastProgressMs);
        return;
    case State::Handshake:
    case State::ReadingRequest:
    case State::Closing:
        return;
    }
}

void TlsClient::finish()
{
    if (std::exchange(m_finished, true))
        return;
    m_state = State::Closing;
    m_pool.closeLater(id());
}
