#pragma once

#include "connection.h"

#include <QByteArray>
#include <QVarLengthArray>

// A plain TCP connection, watched by its pool's epoll set. It writes straight from the shared
// frame buffers to its socket (sendfile() from the frame's PartFile, or sendmsg() from its
// memory), keeping only an offset of its own: no per-viewer copy of a JPEG, unlike a
// QTcpSocket's write buffer. While its socket still holds the previous frame a newer one waits
// (Connection::keepPending()): at most two frames referenced, and a slow viewer only slows
// itself.
class MjpegClient final : public Connection
{
public:
    MjpegClient(ClientPool &pool, int fd, quint64 id, QString address, quint16 port, qint64 nowMs);
    ~MjpegClient() override;

    bool offerFrame(const StreamFrame &frame, qint64 nowUs, qint64 nowMs) override;
    bool endStream(qint64 nowMs) override;
    bool onEpollEvents(std::uint32_t events, qint64 nowMs) override;
    bool isWaitingToWrite() const override { return !m_out.isEmpty(); }
    const char *kind() const override { return ""; }

private:
    void write(const HttpResponse &response) override;
    bool closeIdle() override { return false; }
    bool flushWritten(qint64 nowMs) override { return flush(nowMs); }
    bool onReadable(qint64 nowMs);
    void startPart(const StreamFrame &frame);
    bool flush(qint64 nowMs);
    bool sendFromFile(qint64 nowMs);
    bool afterMessage(qint64 nowMs);

    int m_fd;
    // The message being written: chunks (shared arrays) and how far into them we are.
    QVarLengthArray<QByteArray, 3> m_out;
    // When set, m_out holds the same part and is sent from this file with sendfile() instead;
    // m_outOffset then counts bytes of the whole part.
    std::shared_ptr<const PartFile> m_outFile;
    qsizetype m_outChunk = 0;
    qsizetype m_outOffset = 0;
    bool m_outIsPart = false;
};
