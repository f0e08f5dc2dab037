#pragma once

#include "framedemand.h"
#include "framepacer.h"
#include "httprequest.h"
#include "multipart.h"
#include "serverstatus.h"

#include <QByteArray>
#include <QVarLengthArray>

class ClientPool;
struct HttpResponse;

// One TCP connection: it reads requests, answers them, and when asked for /stream becomes a
// viewer. It writes straight from the shared frame buffers to its socket with sendmsg(), keeping
// only an offset of its own (no per-viewer copy of a JPEG, unlike a QTcpSocket's write buffer).
// While its socket still holds the previous frame a newer one waits in `m_pending`, replacing
// any older waiting one: at most two frames referenced, and a slow viewer only slows itself.
class MjpegClient
{
public:
    enum class State { ReadingRequest, Responding, Streaming };

    MjpegClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port, qint64 nowMs);
    ~MjpegClient();
    MjpegClient(const MjpegClient &) = delete;
    MjpegClient &operator=(const MjpegClient &) = delete;

    int fd() const { return m_fd; }
    State state() const { return m_state; }
    bool isStreaming() const { return m_state == State::Streaming; }
    qint64 lastProgressMs() const { return m_lastProgressMs; }
    bool isWaitingToWrite() const { return !m_out.isEmpty(); }

    // The calls below return false when the connection is finished and must be closed.
    bool onReadable(qint64 nowMs);
    bool onWritable(qint64 nowMs);
    bool offerFrame(const StreamFrame &frame, qint64 nowUs, qint64 nowMs);
    // Streaming was switched off: finish the part in flight, close the multipart body, hang up.
    bool endStream(qint64 nowMs);
    // The answer to a request that waited for a frame (ClientPool::awaitFrame).
    bool answer(const HttpResponse &response, qint64 nowMs);

    ClientStats stats() const;
    // Updates the fps estimate; called a few times a second by the pool.
    void sampleRate(double seconds);

private:
    void processInput();
    void takeForwardedFor(const HttpRequest &request);
    void respond(const HttpResponse &response);
    void startPart(const StreamFrame &frame);
    bool flush(qint64 nowMs);
    bool sendFromFile(qint64 nowMs);
    bool afterMessage(qint64 nowMs);

    ClientPool &m_pool;
    int m_fd;
    State m_state = State::ReadingRequest;
    HttpRequestParser m_parser;
    QByteArray m_input; // received bytes not parsed yet (pipelined requests)

    // The message being written: chunks (shared arrays) and how far into them we are.
    QVarLengthArray<QByteArray, 3> m_out;
    // When set, m_out holds the same part and is sent from this file with sendfile() instead;
    // m_outOffset then counts bytes of the whole part.
    std::shared_ptr<const PartFile> m_outFile;
    qsizetype m_outChunk = 0;
    qsizetype m_outOffset = 0;
    bool m_outIsPart = false;
    bool m_closeWhenWritten = false;
    bool m_inputClosed = false; // the peer sent FIN
    StreamFrame m_pending;
    FrameDemand::Hold m_demand; // while streaming: somebody needs JPEGs

    FramePacer m_pacer;

    // Statistics.
    ClientStats m_stats;
    QString m_peerAddress;
    quint16 m_peerPort = 0;
    bool m_peerIsTrustedProxy = false;
    qint64 m_lastProgressMs = 0;
};
