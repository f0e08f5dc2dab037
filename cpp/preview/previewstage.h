#pragma once

#include "capture/imagepool.h"
#include "capture/planescaler.h"
#include "capture/rawframe.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

// The newest picture for the screen: RGB at the size it is shown, never larger than the frame.
struct PreviewPicture
{
    QImage image; // QImage::Format_RGB32 (what both scene graph back-ends take without a copy)
    quint64 sequence = 0; // the frame's, as numbered by the pipeline
    qint64 captureTimeUs = 0;
    QSize frameSize; // the captured frame's size (the picture may be smaller)
    bool live = false;
};

// Turns captured frames into pictures for the kiosk's screen, at the camera's rate, on a thread
// of its own (named "preview"), independent of the JPEG encoder. Like the encoder it has a
// one-slot, latest-wins mailbox: submit() (capture thread) never waits, and a slow conversion
// lowers the picture's rate instead of queueing frames.
// It works only while some view shows the picture: each on-screen item registers a view with
// the box it fills (device pixels) and whether it is shown; with no active view submit() costs
// an atomic load and nothing else runs. The picture is made at the largest active view's fitted
// size, so scaling happens here, once, on the planes where there are planes:
//   I420 (YUYV cameras): planes scaled, then TurboJPEG's SIMD YUV→RGB (tjDecodeYUVPlanes);
//   JPEG (MJPEG cameras): decoded with DCT scaling (1/2, 1/4, 1/8) to the smallest size not
//     under the target, straight to RGB when that is the target, else to planes as above;
//   RGB (test pattern, files, URLs, Qt cameras, placeholders): scaled only if larger; a
//     picture that is the same image as before (the privacy placeholder) is not made again.
class PreviewStage : public QObject
{
    Q_OBJECT
public:
    struct Counters
    {
        quint64 submitted = 0; // frames offered while active
        quint64 made = 0; // pictures made
        quint64 replaced = 0; // frames superseded before their turn
        quint64 failed = 0; // undecodable frames
        qint64 lastMakeUs = 0; // time to make the newest picture
    };

    explicit PreviewStage(QObject *parent = nullptr);
    ~PreviewStage() override;

    // Views: any thread. A view with an empty box or not shown asks for nothing.
    int addView();
    void setView(int id, QSize box, bool shown);
    void removeView(int id);
    bool isActive() const { return m_active.load(std::memory_order_relaxed); }

    // Capture thread (any thread).
    void submit(const RawFrame &frame);
    // Any thread: the newest picture, possibly from before the views went inactive.
    PreviewPicture picture() const;
    Counters counters() const;

    // Fits `frame` into `box` keeping its aspect ratio, never larger than the frame itself.
    static QSize fittedSize(QSize frame, QSize box);

signals:
    // Emitted on the preview thread after each new picture.
    void pictureReady();

private:
    void updateActive(); // m_mutex held
    void processPending();
    QImage make(const RawFrame &frame, QSize target);
    QImage fromImage(const RawFrame &frame, QSize target);
    QImage fromI420(const RawFrame &frame, QSize target);
    QImage fromJpeg(const RawFrame &frame, QSize target);
    // Scales planes (any subsampling) to `target` in I420, then converts them to RGB.
    QImage scaledToRgb(const PlaneScaler::Plane (&planes)[3], QSize target);
    QImage yuvToRgb(const uchar *const (&planes)[3], const int (&strides)[3], int subsampling,
                    QSize size);
    bool ensureDecompressor();

    mutable QMutex m_mutex; // guards everything below up to the preview thread's own state
    struct View
    {
        QSize box;
        bool shown = false;
    };
    QHash<int, View> m_views;
    int m_nextViewId = 1;
    std::atomic<bool> m_active{false};
    bool m_stopped = false;
    QList<QSize> m_boxes; // of the views shown
    RawFrame m_pending;
    bool m_hasPending = false;
    PreviewPicture m_picture;
    Counters m_counters;

    QThread m_thread;
    std::unique_ptr<QObject> m_context; // lives on m_thread: where processPending runs

    // Preview thread only.
    void *m_tj = nullptr; // tjhandle (decompressor)
    PlaneScaler m_scaler;
    ImagePool m_pool; // the pictures: a buffer back from the screen is used again
    std::vector<uchar> m_scaledPlanes; // I420 at the target size
    std::vector<uchar> m_jpegPlanes; // a JPEG decoded to planes, before scaling
    qint64 m_lastImageKey = 0; // QImage::cacheKey of the last RGB frame made into a picture
    QSize m_lastImageTarget;
};
