#pragma once

#include "capture/rawframe.h"
#include "frame.h"

#include <QMutex>
#include <QObject>

#include <atomic>

// Turns raw frames into JPEG with libjpeg-turbo, once per frame whatever the number of viewers.
// Lives on its own thread. submit() is called on the capture thread and never blocks on the
// encoder: a frame waiting to be encoded is replaced by a newer one (latest wins), so a slow
// encode lowers the frame rate instead of growing a queue.
class JpegEncoder : public QObject
{
    Q_OBJECT
public:
    struct Counters
    {
        quint64 submitted = 0; // frames the source delivered
        quint64 encoded = 0;   // JPEG encodes done (or JPEGs passed through)
        quint64 replaced = 0;  // frames superseded by a newer one before their turn
        quint64 failed = 0;
        qint64 lastEncodeUs = 0;
    };

    explicit JpegEncoder(int quality = 80, QObject *parent = nullptr);
    ~JpegEncoder() override;

    // Thread-safe.
    void submit(const RawFrame &frame);
    void setQuality(int quality);
    int quality() const { return m_quality.load(); }
    Counters counters() const;

    // Encodes one image now, on the calling thread (also used by tests and tools).
    // Returns an empty array on failure.
    QByteArray encode(const QImage &image, int quality);

signals:
    void frameEncoded(const Frame &frame);

private:
    void encodePending();

    void *m_tj = nullptr; // tjhandle, used only on the encoder's thread
    unsigned char *m_scratch = nullptr;
    unsigned long m_scratchCapacity = 0;
    std::atomic<int> m_quality;

    mutable QMutex m_mutex; // guards the mailbox and the counters
    RawFrame m_pending;
    bool m_hasPending = false;
    Counters m_counters;
};
