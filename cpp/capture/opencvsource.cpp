#include "opencvsource.h"

#include "v4l2source.h"

#include <QFileInfo>
#include <QLoggingCategory>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

Q_DECLARE_LOGGING_CATEGORY(lcSource)

namespace {
// A few failed reads in a row mean the source is gone; one may just be a hiccup.
constexpr int kFailuresBeforeReopen = 5;

bool isInteger(const QString &s)
{
    bool ok = false;
    s.toInt(&ok);
    return ok;
}
} // namespace

OpenCvSource::OpenCvSource(const SourceOptions &options, QObject *parent)
    : FrameSource(options, Watchdog::Off, parent) // read() blocks; it has timeouts of its own
    , m_kind(kindOf(options.spec))
    , m_readTimer(this) // a child, so it moves to the capture thread with the source
{
    m_readTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_readTimer, &QTimer::timeout, this, &OpenCvSource::readNext);
    // A camera that is unplugged is reopened as soon as its node is back.
    if (m_kind == Kind::Camera)
        setDeviceNode(V4l2Source::devicePath(options.spec));
}

OpenCvSource::~OpenCvSource() = default;

OpenCvSource::Kind OpenCvSource::kindOf(const QString &spec)
{
    if (isInteger(spec) || spec.startsWith(QLatin1String("/dev/video"))
        || spec.startsWith(QLatin1String("/dev/v4l/")))
        return Kind::Camera;
    if (spec.contains(QLatin1String("://")))
        return Kind::Url;
    return Kind::File;
}

bool OpenCvSource::open()
{
    close();
    auto capture = std::make_unique<cv::VideoCapture>();
    bool ok = false;
    try {
        if (m_kind == Kind::Camera) {
            const int index = isInteger(options().spec) ? options().spec.toInt() : -1;
            ok = index >= 0 ? capture->open(index, cv::CAP_V4L2)
                            : capture->open(options().spec.toStdString(), cv::CAP_V4L2);
            if (ok) {
                capture->set(cv::CAP_PROP_FRAME_WIDTH, options().size.width());
                capture->set(cv::CAP_PROP_FRAME_HEIGHT, options().size.height());
                capture->set(cv::CAP_PROP_FPS, options().fps);
                // One buffer: the newest frame, not one that waited in the driver's queue.
                capture->set(cv::CAP_PROP_BUFFERSIZE, 1);
            }
        } else {
            if (m_kind == Kind::File && !QFileInfo::exists(options().spec)) {
                lost(QStringLiteral("no such file: %1").arg(options().spec));
                return false;
            }
            // Without a read timeout a network stream that stops sending blocks read() for
            // good; with it the read fails and the source reopens.
            const std::vector<int> params{cv::CAP_PROP_OPEN_TIMEOUT_MSEC,
                                          qMax(options().timeoutMs, 1000),
                                          cv::CAP_PROP_READ_TIMEOUT_MSEC, options().timeoutMs};
            ok = capture->open(options().spec.toStdString(), cv::CAP_FFMPEG, params);
        }
    } catch (const cv::Exception &e) {
        lost(QString::fromStdString(e.what()));
        return false;
    }
    if (!ok || !capture->isOpened()) {
        lost(QStringLiteral("cannot open %1").arg(options().spec));
        return false;
    }

    const QSize actual(int(capture->get(cv::CAP_PROP_FRAME_WIDTH)),
                       int(capture->get(cv::CAP_PROP_FRAME_HEIGHT)));
    double fps = capture->get(cv::CAP_PROP_FPS);
    if (!(fps > 0 && fps < 1000))
        fps = options().fps;
    m_capture = std::move(capture);
    m_consecutiveFailures = 0;
    opened({options().spec, true, actual, fps, QStringLiteral("BGR")});
    // A camera's or a stream's read() blocks until its next frame and so paces itself; a file
    // has no clock of its own and is played at the rate it was recorded at.
    m_readTimer.start(m_kind == Kind::File ? qMax(1, qRound(1000.0 / fps)) : 0);
    return true;
}

void OpenCvSource::close()
{
    m_readTimer.stop();
    if (m_capture)
        m_capture->release();
    m_capture.reset();
}

void OpenCvSource::readNext()
{
    if (!m_capture)
        return;
    const QSize size = info().size;
    QImage image = m_pool.acquire(size, QImage::Format_BGR888);
    // OpenCV writes straight into the pooled buffer when the geometry matches.
    cv::Mat mat(size.height(), size.width(), CV_8UC3, image.bits(), size_t(image.bytesPerLine()));
    bool ok = false;
    try {
        ok = m_capture->read(mat);
    } catch (const cv::Exception &e) {
        qCWarning(lcSource) << "read failed:" << e.what();
    }
    if (ok && !mat.empty() && mat.type() == CV_8UC3) {
        m_consecutiveFailures = 0;
        RawFrame frame;
        if (mat.data == image.bits()) {
            frame.image = image;
        } else {
            // Geometry changed under us (files, some URLs): take OpenCV's buffer once.
            frame.image
                = QImage(mat.data, mat.cols, mat.rows, int(mat.step), QImage::Format_BGR888).copy();
            FrameSource::Info i = info();
            i.size = frame.image.size();
            setInfo(i);
        }
        frame.width = frame.image.width();
        frame.height = frame.image.height();
        emitFrame(std::move(frame));
        return;
    }
    // A file at its end rewinds (loops); a rewind that yields nothing counts as a failure.
    if (m_kind == Kind::File)
        m_capture->set(cv::CAP_PROP_POS_FRAMES, 0);
    // A network read fails only after the read timeout: the stream is gone, reopen it now.
    if (m_kind != Kind::Url && ++m_consecutiveFailures < kFailuresBeforeReopen)
        return;
    lost(QStringLiteral("no frames from %1").arg(options().spec)); // closes
}
