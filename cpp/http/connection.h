#pragma once

#include "camerafeed.h"
#include "framedemand.h"
#include "framepacer.h"
#include "httprequest.h"
#include "multipart.h"
#include "profileset.h"
#include "serverstatus.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>

class ClientPool;
struct HttpResponse;

// One viewer's connection, whatever carries it: plain TCP written from the shared frame
// buffers (MjpegClient) or TLS (TlsClient). What a connection does with requests and frames is
// here, once: parsing, X-Forwarded-For, answering, the latest-frame-wins hand-off with its
// dropped-frame count, ?fps= pacing, timeouts and figures. A transport only moves bytes.
// All calls run on the owning ClientPool's thread.
class Connection
{
public:
    enum class State { Handshake, ReadingRequest, Responding, Streaming, Closing };

    virtual ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    quint64 id() const { return m_stats.id; }
    bool isStreaming() const { return m_state == State::Streaming; }
    // The output profile whose frames this viewer gets (0: the full size).
    int profile() const { return m_ticket.id(); }
    // The id of the camera whose frames it gets, or of the camera its last request was for.
    int camera() const { return m_stats.camera; }
    // The address the socket is connected to (a proxy's, when one forwards for the viewer): the
    // one ConnectionGate admitted.
    const QString &peerAddress() const { return m_peerAddress; }
    ClientStats stats() const;
    // Updates the fps estimate; called a few times a second by the pool.
    void sampleRate(double seconds);
    // Too long without progress: a request not finished in time, or a viewer taking no bytes.
    bool isUnresponsive(qint64 nowMs) const;
    // The server stops: streams end with their closing delimiter, idle connections close, a
    // response in flight is finished. False when the pool should close it at once.
    bool beginShutdown(qint64 nowMs);
    // The answer to a request that waited for a fresh frame (ClientPool::awaitFrame), with the
    // camera and profile it got. False when the connection is finished.
    bool answer(const HttpResponse &response, qint64 nowMs, ProfileSet::Ticket ticket = {},
                std::shared_ptr<CameraFeed> feed = {});

    // Transport. Those returning bool return false when the connection is finished and the pool
    // must close it.
    // A new frame for a viewer (the one virtual call per viewer per frame).
    virtual bool offerFrame(const StreamFrame &frame, qint64 nowUs, qint64 nowMs) = 0;
    // Streaming was switched off: finish the part in flight, close the multipart body, hang up.
    virtual bool endStream(qint64 nowMs) = 0;
    // Readiness from the pool's epoll set, for transports whose socket is in it.
    virtual bool onEpollEvents(std::uint32_t events, qint64 nowMs);
    virtual bool isWaitingToWrite() const = 0;
    // For the log: "" or "TLS ".
    virtual const char *kind() const = 0;

protected:
    Connection(ClientPool &pool, quint64 id, QString address, quint16 port, qint64 nowMs);

    // Received bytes. False when more is waiting than any request may hold (abuse).
    bool receive(QByteArrayView bytes);
    // Parses what was received and, once a request is complete (or bad), answers it.
    void processInput();
    // The transport queues this answer (head, then body) to be sent.
    virtual void write(const HttpResponse &response) = 0;
    // Sends what write() queued, outside a socket event (a waited-for answer). False when the
    // connection is finished.
    virtual bool flushWritten(qint64 nowMs) = 0;
    // An idle connection is to close; false when the pool may close it at once.
    virtual bool closeIdle() = 0;
    // A response has been sent on a kept-alive connection: the next request, maybe waiting.
    void readNextRequest(qint64 nowMs);

    // Frames. Whether a viewer takes this frame at all now (streaming, its ?fps= due).
    bool isDue(qint64 nowUs);
    // The viewer is still busy: the frame waits, replacing (and counting as dropped) any older
    // one that waited.
    void keepPending(const StreamFrame &frame);
    StreamFrame takePending() { return std::exchange(m_pending, StreamFrame()); }
    void dropPending() { m_pending = StreamFrame(); }

    ClientPool &m_pool;
    State m_state = State::ReadingRequest;
    bool m_closeWhenWritten = false;
    bool m_inputClosed = false; // the peer sent FIN
    ClientStats m_stats;
    qint64 m_lastProgressMs = 0;

private:
    void respond(const HttpResponse &response, ProfileSet::Ticket ticket = {},
                 std::shared_ptr<CameraFeed> feed = {});
    void takeForwardedFor(const HttpRequest &request);

    HttpRequestParser m_parser;
    QByteArray m_input; // received bytes not parsed yet (pipelined requests)
    StreamFrame m_pending;
    // While streaming: the camera (its feed outlives the ticket and hold taken from it)...
    std::shared_ptr<CameraFeed> m_feed;
    ProfileSet::Ticket m_ticket; // ...the profile it gets (before m_demand)
    FrameDemand::Hold m_demand; // while streaming: somebody needs JPEGs of that profile
    FramePacer m_pacer;
    QString m_peerAddress;
    quint16 m_peerPort = 0;
    bool m_peerIsTrustedProxy = false;
};
