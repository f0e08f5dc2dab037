#pragma once

#include "connection.h"

#include <QSslConfiguration>

class QSslSocket;

// An HTTPS connection. TLS cannot write from the shared frame buffers as MjpegClient does
// (every viewer's bytes are encrypted with its own keys), so this transport is a QSslSocket on
// its pool's network thread, next to the plain viewers: one copy and one encryption per frame
// per TLS viewer, while plain viewers keep the zero-copy path. Requests, frames and figures go
// through Connection like a plain viewer's.
class TlsClient final : public Connection
{
public:
    TlsClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port,
              const QSslConfiguration &tls, qint64 nowMs);
    ~TlsClient() override;

    bool offerFrame(const StreamFrame &frame, qint64 nowUs, qint64 nowMs) override;
    bool endStream(qint64 nowMs) override;
    bool isWaitingToWrite() const override;
    const char *kind() const override { return "TLS "; }

private:
    void write(const HttpResponse &response) override;
    bool closeIdle() override;
    // The socket sends from its own buffer.
    bool flushWritten(qint64) override { return true; }
    void onReadyRead();
    void onWritten(qint64 bytes);
    void writePart(const StreamFrame &frame);
    void closeAfterWriting();
    // The connection is over: the pool closes it later (this may run inside a socket signal).
    void finish();

    QSslSocket *m_socket;
    bool m_finished = false;
    bool m_partInFlight = false;
};
