#include "qtcamerasource.h"

#include "qtcameracontrols.h"

#include <QCamera>
#include <QCameraDevice>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QTextStream>
#include <QVideoFrame>
#include <QVideoSink>

namespace {
QCameraDevice findCamera(const QString &name)
{
    const QList<QCameraDevice> cameras = QMediaDevices::videoInputs();
    if (name.isEmpty())
        return QMediaDevices::defaultVideoInput();
    for (const QCameraDevice &c : cameras) {
        if (QString::fromUtf8(c.id()) == name)
            return c;
    }
    for (const QCameraDevice &c : cameras) {
        if (c.description().compare(name, Qt::CaseInsensitive) == 0)
            return c;
    }
    return {};
}

QString pixelFormatName(QVideoFrameFormat::PixelFormat f)
{
    if (f == QVideoFrameFormat::Format_Jpeg)
        return QStringLiteral("MJPEG");
    return QVideoFrameFormat::pixelFormatToString(f);
}

// The format closest to the requested size, then rate; JPEG or not as preferred on a tie.
QCameraFormat bestFormat(const QCameraDevice &camera, QSize size, double fps, bool preferJpeg)
{
    QCameraFormat best;
    qint64 bestScore = std::numeric_limits<qint64>::max();
    for (const QCameraFormat &f : camera.videoFormats()) {
        const qint64 sizeMiss = qAbs(qint64(f.resolution().width()) * f.resolution().height()
                                     - qint64(size.width()) * size.height());
        const qint64 fpsMiss = qRound64(qAbs(qMin<double>(f.maxFrameRate(), fps) - fps) * 10);
        const bool jpeg = f.pixelFormat() == QVideoFrameFormat::Format_Jpeg;
        const qint64 score = sizeMiss * 1000 + fpsMiss * 2 + (jpeg == preferJpeg ? 0 : 1);
        if (score < bestScore) {
            bestScore = score;
            best = f;
        }
    }
    return best;
}
} // namespace

QtCameraSource::QtCameraSource(const SourceOptions &options, QObject *parent)
    : FrameSource(options, Watchdog::On, parent)
    , m_name(options.spec.mid(3))
{
    // Qt's V4L2-based backends name a camera by its node; then an unplug is watched for there.
    if (m_name.startsWith(QLatin1String("/dev/")))
        setDeviceNode(m_name);
}

QtCameraSource::~QtCameraSource()
{
    close();
}

bool QtCameraSource::open()
{
    close();
    const QCameraDevice device = findCamera(m_name);
    if (device.isNull()) {
        lost(m_name.isEmpty() ? QStringLiteral("no Qt Multimedia camera")
                              : QStringLiteral("no Qt Multimedia camera '%1'").arg(m_name));
        return false;
    }
    // Made here, on the capture thread, so that their events are handled there.
    m_session = std::make_unique<QMediaCaptureSession>();
    m_camera = std::make_unique<QCamera>(device);
    m_sink = std::make_unique<QVideoSink>();
    const SourceOptions &o = options();
    const QCameraFormat format = bestFormat(device, o.size, o.fps, o.preferJpeg);
    if (!format.isNull())
        m_camera->setCameraFormat(format);
    m_session->setCamera(m_camera.get());
    m_session->setVideoSink(m_sink.get());
    connect(m_sink.get(), &QVideoSink::videoFrameChanged, this, &QtCameraSource::onFrame);
    connect(m_camera.get(), &QCamera::errorOccurred, this,
            [this](QCamera::Error, const QString &text) {
                lost(QStringLiteral("%1: %2").arg(options().spec, text));
            });
    // Which controls a backend supports is known once the camera runs; values change by
    // themselves (auto modes, another program).
    m_cameraName = device.description();
    m_controlsRestored = false;
    QCamera *camera = m_camera.get();
    connect(camera, &QCamera::activeChanged, this, &QtCameraSource::readControls);
    connect(camera, &QCamera::supportedFeaturesChanged, this, &QtCameraSource::readControls);
    connect(camera, &QCamera::exposureCompensationChanged, this, &QtCameraSource::readControls);
    connect(camera, &QCamera::zoomFactorChanged, this, &QtCameraSource::readControls);
    connect(camera, &QCamera::maximumZoomFactorChanged, this, &QtCameraSource::readControls);
    connect(camera, &QCamera::torchModeChanged, this, &QtCameraSource::readControls);
    connect(camera, &QCamera::focusModeChanged, this, &QtCameraSource::readControls);
    connect(camera, &QCamera::whiteBalanceModeChanged, this, &QtCameraSource::readControls);
    m_camera->start();
    readControls();
    const QSize size = format.isNull() ? o.size : format.resolution();
    const double fps = format.isNull() ? o.fps : qMin<double>(format.maxFrameRate(), o.fps);
    opened({QStringLiteral("%1 (%2)").arg(o.spec, device.description()), true, size, fps,
            format.isNull() ? QString() : pixelFormatName(format.pixelFormat())});
    return true;
}

void QtCameraSource::close()
{
    if (controls().available) {
        CameraControls none;
        none.reason = QStringLiteral("the camera is not connected");
        setControls(none);
    }
    if (m_camera) {
        m_camera->disconnect(this);
        m_camera->stop();
    }
    if (m_sink)
        m_sink->disconnect(this);
    m_session.reset();
    m_sink.reset();
    m_camera.reset();
}

void QtCameraSource::readControls()
{
    if (!m_camera)
        return;
    CameraControls list = QtCameraControls::from(QtCameraFeatures::of(*m_camera), m_cameraName);
    if (list.available && !m_controlsRestored && m_camera->isActive()) {
        m_controlsRestored = true;
        QtCameraControls::apply(m_camera.get(), Controls::mastersFirst(list, wantedControls(list)));
        list = QtCameraControls::from(QtCameraFeatures::of(*m_camera), m_cameraName);
    }
    if (list.toJson() != controls().toJson())
        setControls(list);
}

void QtCameraSource::applyControls(quint64 requestId, const ControlValues &values)
{
    CameraControls list = controls();
    const QString error = Controls::refusal(list, values);
    if (error.isEmpty() && m_camera) {
        QtCameraControls::apply(m_camera.get(), values);
        // A backend may apply a value after the call returns (and announce it: readControls()),
        // so a reopen restores what was asked rather than what the camera reports this instant.
        for (CameraControl &c : list.controls) {
            for (const auto &[name, value] : values) {
                if (c.name == name)
                    c.value = value;
            }
        }
        rememberControls(values, list);
        list = QtCameraControls::from(QtCameraFeatures::of(*m_camera), m_cameraName);
        setControls(list);
    }
    emit controlsApplied(requestId, list, error);
}

void QtCameraSource::onFrame(const QVideoFrame &videoFrame)
{
    if (!videoFrame.isValid())
        return;
    feedWatchdog();
    RawFrame frame;
    frame.width = videoFrame.width();
    frame.height = videoFrame.height();
    if (videoFrame.pixelFormat() == QVideoFrameFormat::Format_Jpeg) {
        QVideoFrame mapped = videoFrame;
        if (!mapped.map(QVideoFrame::ReadOnly))
            return;
        frame.kind = RawFrame::Kind::Jpeg;
        frame.jpeg
            = QByteArray(reinterpret_cast<const char *>(mapped.bits(0)), mapped.mappedBytes(0));
        mapped.unmap();
    } else {
        frame.image = videoFrame.toImage();
        if (frame.image.isNull())
            return;
        if (frame.image.format() != QImage::Format_RGB32)
            frame.image = frame.image.convertToFormat(QImage::Format_RGB32);
        frame.width = frame.image.width();
        frame.height = frame.image.height();
    }
    if (QSize(frame.width, frame.height) != info().size) {
        Info i = info();
        i.size = QSize(frame.width, frame.height);
        setInfo(i);
    }
    emitFrame(std::move(frame));
}

QString QtCameraSource::describeDevices()
{
    QString text;
    QTextStream out(&text);
    const QCameraDevice defaultCamera = QMediaDevices::defaultVideoInput();
    for (const QCameraDevice &c : QMediaDevices::videoInputs()) {
        out << "  qt:" << QString::fromUtf8(c.id()) << "  " << c.description()
            << (c == defaultCamera ? "  (default)" : "") << '\n';
        QStringList formats;
        for (const QCameraFormat &f : c.videoFormats()) {
            formats.append(QStringLiteral("%1 %2x%3@%4")
                               .arg(pixelFormatName(f.pixelFormat()))
                               .arg(f.resolution().width())
                               .arg(f.resolution().height())
                               .arg(double(f.maxFrameRate())));
        }
        formats.removeDuplicates();
        for (const QString &f : std::as_const(formats))
            out << "    " << f << '\n';
    }
    out.flush();
    return text.isEmpty() ? QStringLiteral("  (none)\n") : text;
}
