#include "tlsclient.h"

#include "clientpool.h"
#include "requesthandler.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSslSocket>

#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

TlsClient::TlsClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port,
                     const QSslConfiguration &tls, qint64 nowMs)
    : m_pool(pool)
    , m_socket(new QSslSocket(this))
    , m_parser(pool.config().requestLimits)
    , m_lastProgressMs(nowMs)
{
    m_stats.id = id;
    m_stats.address = std::move(address);
    m_stats.port = port;
    m_stats.connectedSinceMs = QDateTime::currentMSecsSinceEpoch();

    m_socket->setSslConfiguration(tls);
    // Received bytes beyond what a request may hold are abuse, as on the plain path.
    m_socket->setReadBufferSize(4 * pool.config().requestLimits.maxHeadBytes);
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_state = State::ReadingRequest;
        onReadyRead();
    });
    connect(m_socket, &QSslSocket::readyRead, this, &TlsClient::onReadyRead);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, &TlsClient::onWritten);
    connect(m_socket, &QSslSocket::disconnected, this, &TlsClient::finish);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_state == State::Handshake)
            qCDebug(lcHttp).noquote()
                << m_stats.address << "TLS handshake failed:" << m_socket->errorString();
        finish();
    });
    if (!m_socket->setSocketDescriptor(fd)) {
        ::close(fd);
        QMetaObject::invokeMethod(this, &TlsClient::finish, Qt::QueuedConnection);
        return;
    }
    m_socket->startServerEncryption();
}

TlsClient::~TlsClient()
{
    m_socket->abort();
}

bool TlsClient::isWaitingToWrite() const
{
    return m_socket->bytesToWrite() > 0 || m_socket->encryptedBytesToWrite() > 0;
}

ClientStats TlsClient::stats() const
{
    return m_stats.withState(isStreaming(), m_pacer.maxFps);
}

void TlsClient::sampleRate(double seconds)
{
    m_stats.updateFps(seconds);
}

void TlsClient::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (m_state == State::Streaming || m_state == State::Closing)
        return; // a viewer has nothing more to say
    // While an answer is being written, a pipelined request waits in m_input (bounded).
    m_input += bytes;
    if (m_input.size() > 4 * m_pool.config().requestLimits.maxHeadBytes) {
        finish();
        return;
    }
    processInput();
}

void TlsClient::processInput()
{
    if (m_input.isEmpty() || m_state != State::ReadingRequest)
        return;
    const qsizetype used = m_parser.feed(m_input);
    m_input.remove(0, used);
    switch (m_parser.state()) {
    case HttpRequestParser::State::Incomplete:
        return;
    case HttpRequestParser::State::Error:
        respond(RequestHandler::error(m_parser.errorStatus(), m_parser.errorReason()));
        return;
    case HttpRequestParser::State::Complete: {
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

void TlsClient::respond(const HttpResponse &response)
{
    m_socket->write(response.head);
    m_socket->write(response.body);
    if (response.startsStream) {
        m_state = State::Streaming;
        m_pacer.start(response.maxFps);
        m_input.clear();
        qCInfo(lcHttp).noquote() << "TLS viewer connected:" << m_stats.address << m_stats.port;
        m_demand = m_pool.holdDemand();
        if (!m_pool.latest().isNull())
            m_pending = m_pool.latest();
    } else {
        m_state = State::Responding;
        m_closeWhenWritten = !response.keepAlive;
    }
}

void TlsClient::offerFrame(const StreamFrame &frame, qint64 nowUs)
{
    if (m_state != State::Streaming || m_closeWhenWritten || !m_pacer.due(nowUs))
        return;
    if (isWaitingToWrite()) {
        if (!m_pending.isNull())
            ++m_stats.framesDropped;
        m_pending = frame;
        return;
    }
    writePart(frame);
}

void TlsClient::writePart(const StreamFrame &frame)
{
    m_socket->write(frame.partHeader);
    m_socket->write(frame.frame.jpeg());
    m_socket->write(Multipart::partTrailer());
    m_partInFlight = true;
}

void TlsClient::endStream()
{
    if (m_state == State::Streaming) {
        m_pending = StreamFrame();
        m_socket->write(Multipart::closingDelimiter());
        closeAfterWriting();
    } else if (m_state != State::Responding) {
        closeAfterWriting(); // idle or handshaking: nothing owed
    } else {
        m_closeWhenWritten = true;
    }
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
        if (!m_pending.isNull())
            writePart(std::exchange(m_pending, StreamFrame()));
        return;
    case State::Responding:
        if (m_closeWhenWritten) {
            closeAfterWriting();
            return;
        }
        m_state = State::ReadingRequest;
        m_parser.reset();
        processInput();
        return;
    default:
        return;
    }
}

void TlsClient::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_state = State::Closing;
    m_demand.reset(); // deleted later; it needs no more frames now
    emit finished(this);
}
