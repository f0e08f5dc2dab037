#pragma once

#include "capture/imagepool.h"
#include "capture/planescaler.h"
#include "capture/rawframe.h"
#include "frame.h"
#include "overlay.h"

#include <QMutex>
#include <QObject>

#include <atomic>

// Turns raw frames into JPEG with libjpeg-turbo, once per frame whatever the number of viewers.
// Lives on its own thread. submit() is called on the capture thread and never blocks on the
// encoder: a frame waiting to be encoded is replaced by a newer one (latest wins), so a slow
// encode lowers the frame rate instead of growing a queue.
// While no JPEG is needed (setNeeded(false): nobody watches) the encoder is idle: frames wait in
// the mailbox and are replaced there, none is encoded, published or passed through.
// JPEG frames from MJPEG cameras are checked and, unless a re-encode is asked for, passed
// through untouched. The kiosk's screen does not depend on it (preview/previewstage.h).
// The same class makes the smaller output profiles (setOutput(), issue 18: ProfileEncoders),
// downscaling on the YUV planes before encoding, camera JPEGs by a DCT-scaled decode.
class JpegEncoder : public QObject
{
    Q_OBJECT
public:
    struct Counters
    {
        quint64 submitted = 0; // frames the source delivered
        quint64 encoded = 0; // JPEG encodes done (or JPEGs passed through)
        quint64 replaced = 0; // frames superseded by a newer one before their turn
        quint64 idle = 0; // of those, the ones replaced while no JPEG was needed
        quint64 failed = 0;
        quint64 passedThrough = 0; // camera JPEGs sent as they came
        quint64 corrupt = 0; // camera JPEGs dropped as broken (markers, size)
        quint64 sameDropped = 0; // frames not sent because identical to the previous one
        qint64 lastEncodeUs = 0; // encode (or pass-through check) of the newest frame
        bool idleNow = false; // no JPEG needed at the moment
    };

    explicit JpegEncoder(int quality = 80, QObject *parent = nullptr);
    ~JpegEncoder() override;

    // Thread-safe.
    void submit(const RawFrame &frame);
    void setQuality(int quality);
    // Whether anybody needs a JPEG (FrameDemand); on by default. Off, frames are not encoded;
    // back on, the next frame submitted is.
    void setNeeded(bool needed);
    int quality() const { return m_quality.load(); }
    // Decode and re-encode camera JPEGs (quality or overlay wanted) instead of passing them on.
    void setReencodeJpeg(bool on) { m_reencodeJpeg = on; }
    bool reencodeJpeg() const { return m_reencodeJpeg.load(); }
    void setOverlay(const QString &format);
    // Do not send a frame identical to the previous one, but send one at least every
    // `maxDropped` + 1 frames; 0: send every frame.
    void setDropSameFrames(int maxDropped) { m_dropSameFrames = qMax(0, maxDropped); }
    // Makes this encoder one of the output profiles: its frames are numbered `profile`
    // (Frame::profile()), made `width` wide (keeping the aspect, never wider than the frame:
    // profileSize()) at `quality`; camera JPEGs are then always decoded. Taken with the next
    // frame, so a frame is never numbered for one profile and made for another.
    void setOutput(int profile, int width, int quality);
    // The size a profile `width` wide makes of a `frame`-sized picture: even sides (I420's
    // chroma), the aspect kept, never larger than the frame; `width` 0: the frame's own.
    static QSize profileSize(QSize frame, int width);
    Counters counters() const;

    // Encodes one image now, on the calling thread (also used by tests and tools).
    // Returns an empty array on failure.
    QByteArray encode(const QImage &image, int quality);
    QByteArray encodeI420(const QImage &planes, int width, int height, int quality);

    // A whole JPEG: SOI at the start, EOI at the end (after trimming the zero padding some
    // cameras add), and not implausibly small. Trims `jpeg` in place.
    static bool checkJpeg(QByteArray *jpeg);
    // Many UVC cameras leave the Huffman tables out of their MJPEG frames (they are the
    // standard ones); not every viewer knows to assume them. Inserts them before the scan
    // when missing; returns whether it did.
    static bool addMissingHuffmanTables(QByteArray *jpeg);

signals:
    // After every frame handled (encoded, passed through, dropped as corrupt or as the same), on
    // the encoder's thread and before frameEncoded(): the counters as they are now. While idle,
    // after every frame submitted (on the submitting thread) and when idling starts or ends.
    void countersChanged(const JpegEncoder::Counters &counters);
    void frameEncoded(const Frame &frame);

private:
    // What one frame came to.
    struct Encoded
    {
        QByteArray jpeg; // empty: failed or corrupt
        bool corrupt = false;
        bool passedThrough = false;
        qint64 elapsedUs = 0;
    };
    void encodePending();
    struct Output
    {
        int profile = 0;
        int width = 0; // 0: the frame's own
        int quality = 0; // 0: m_quality
    };
    // Takes the frame out of the mailbox (false: none), with the overlay and output settings it
    // goes with.
    bool takePending(RawFrame *raw, Output *output);
    Encoded encodeRaw(RawFrame &raw, int quality, bool reencodeJpeg);
    // `raw` made `target`-sized on its planes (I420 out) or, for RGB frames, by QImage; a null
    // frame when it cannot be decoded.
    RawFrame downscaled(const RawFrame &raw, QSize target);
    bool downscaleJpeg(const RawFrame &raw, QSize target, RawFrame *out);
    // Whether to skip this JPEG as the same as the one before (--drop-same-frames).
    bool dropAsSame(const QByteArray &jpeg, bool live);
    // Counts the frame; the counters as they are now.
    Counters count(const Encoded &encoded, bool dropSame);
    bool ensureCompressor();
    QByteArray compressed(unsigned long size) const;
    QImage decodeJpeg(const QByteArray &jpeg);

    void *m_tj = nullptr; // tjhandle for compressing, used only on the encoder's thread
    void *m_tjd = nullptr; // tjhandle for decompressing
    unsigned char *m_scratch = nullptr;
    unsigned long m_scratchCapacity = 0;
    std::atomic<int> m_quality;
    std::atomic<bool> m_reencodeJpeg{false};
    std::atomic<int> m_dropSameFrames{0};

    mutable QMutex m_mutex; // guards the mailbox, the counters and m_overlayFormat
    RawFrame m_pending;
    bool m_hasPending = false;
    bool m_needed = true;
    bool m_wakeQueued = false; // an encodePending() is on its way
    Counters m_counters;
    QString m_overlayFormat;
    Output m_output;

    // Encoder thread only.
    FrameOverlay m_overlay;
    QString m_overlayApplied;
    ImagePool m_pool;
    PlaneScaler m_scaler;
    std::vector<uchar> m_jpegPlanes; // a camera JPEG decoded to planes, before scaling
    QByteArray m_previousJpeg;
    bool m_previousLive = false;
    int m_sameInARow = 0;
};
