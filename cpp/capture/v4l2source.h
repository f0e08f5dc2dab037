#pragma once

#include "framesource.h"
#include "imagepool.h"

#include <QList>

#include <memory>

class QSocketNotifier;

// A V4L2 camera (/dev/videoN or an index) read directly: memory-mapped buffers, the capture
// thread's event loop waiting on the device (no blocking read), and FrameSource's watchdog, so
// a camera that stalls is noticed after the source timeout whatever the driver does and
// reopened with back-off; one that is unplugged (ENODEV, its node gone) is reopened as soon as
// its node is back.
// Formats: MJPEG cameras hand their JPEGs on untouched (pass-through); YUYV is split into I420
// planes in one pass and encoded without any RGB conversion. Which one is asked for first
// depends on `preferJpeg`; the other serves when the camera cannot give the requested size
// and rate in the preferred one.
class V4l2Source : public FrameSource
{
    Q_OBJECT
public:
    explicit V4l2Source(const SourceOptions &options, QObject *parent = nullptr);
    ~V4l2Source() override;

    // "/dev/video2" or "2" → "/dev/video2", "/dev/v4l/by-id/..." as it is; empty when the spec
    // names no V4L2 device.
    static QString devicePath(const QString &spec);
    // Every V4L2 capture device with its formats, sizes and rates, for --list-sources.
    static QString describeDevices();

public slots:
    void applyControls(quint64 requestId, const ControlValues &values) override;

protected:
    bool open() override;
    void close() override;

private:
    struct Buffer
    {
        void *start = nullptr;
        size_t length = 0;
    };
    // Each false after fail(): the source is then closed and offline, with a retry due.
    bool fail(const QString &why);
    bool chooseFormat(quint32 *fourcc);
    bool applyFormat(quint32 fourcc, double *fps);
    bool startStreaming();
    void readFrames();
    void deliver(const Buffer &buffer, quint32 bytesUsed, qint64 captureTimeUs);
    void openControls(const QString &card, const QString &busInfo);
    QString stableName(const QString &card, const QString &busInfo) const;
    void readControlEvents();

    QString m_device;
    int m_fd = -1;
    QList<Buffer> m_buffers;
    std::unique_ptr<QSocketNotifier> m_notifier;
    std::unique_ptr<QSocketNotifier> m_controlNotifier; // POLLPRI: a control event is pending
    quint32 m_pixelFormat = 0;
    QSize m_size;
    int m_bytesPerLine = 0;
    bool m_warnedShortFrame = false;
    ImagePool m_pool;
};
