#pragma once

#include "framedemand.h"
#include "framepacer.h"
#include "httprequest.h"
#include "multipart.h"
#include "serverstatus.h"

#include <QObject>
#include <QSslConfiguration>

class ClientPool;
class QSslSocket;
struct HttpResponse;

// One HTTPS connection. TLS cannot write from the shared frame buffers as MjpegClient does
// (every viewer's bytes are encrypted with its own keys), so this is a separate, simpler
// transport on a QSslSocket, living on a pool's network thread next to the plain viewers: one
// copy and one encryption per frame per TLS viewer, while plain viewers keep the zero-copy path.
// Same rules as MjpegClient: keep-alive and pipelining, latest frame wins (at most the frame in
// the socket and one waiting), ?fps= pacing, closing delimiter when streaming stops.
class TlsClient : public QObject
{
    Q_OBJECT
public:
    enum class State { Handshake, ReadingRequest, Responding, Streaming, Closing };

    TlsClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port,
              const QSslConfiguration &tls, qint64 nowMs);
    ~TlsClient() override;

    State state() const { return m_state; }
    bool isStreaming() const { return m_state == State::Streaming; }
    qint64 lastProgressMs() const { return m_lastProgressMs; }
    bool isWaitingToWrite() const;
    const QString &address() const { return m_stats.address; }

    void offerFrame(const StreamFrame &frame, qint64 nowUs);
    // Streaming was switched off or the server stops: finish the part, close the body, hang up.
    void endStream();
    // The answer to a request that waited for a frame (ClientPool::awaitFrame).
    void answer(const HttpResponse &response) { respond(response); }
    // Closed by the pool: it needs no more frames, even before it is deleted (later, on a thread
    // that may be finishing after the server's demand is gone).
    void releaseDemand() { m_demand.reset(); }
    ClientStats stats() const;
    void sampleRate(double seconds);

signals:
    // The connection is over; the pool deletes the client later.
    void finished(TlsClient *client);

private:
    void onReadyRead();
    void onWritten(qint64 bytes);
    void processInput();
    void respond(const HttpResponse &response);
    void writePart(const StreamFrame &frame);
    void closeAfterWriting();
    void finish();

    ClientPool &m_pool;
    QSslSocket *m_socket;
    State m_state = State::Handshake;
    HttpRequestParser m_parser;
    QByteArray m_input;
    bool m_closeWhenWritten = false;
    bool m_finished = false;
    bool m_partInFlight = false;
    StreamFrame m_pending;
    FrameDemand::Hold m_demand; // while streaming: somebody needs JPEGs
    FramePacer m_pacer;
    ClientStats m_stats;
    qint64 m_lastProgressMs = 0;
};
