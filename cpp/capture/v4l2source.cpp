#include "v4l2source.h"
#include "xioctl.h"

#include "v4l2controls.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTextStream>

#include <cerrno>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcSource)

namespace {
constexpr int kBufferCount = 4;

QString errorText(const char *what)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(what),
                                        QString::fromLocal8Bit(strerror(errno)));
}

bool isJpeg(quint32 fourcc)
{
    return fourcc == V4L2_PIX_FMT_MJPEG || fourcc == V4L2_PIX_FMT_JPEG;
}

QString fourccName(quint32 fourcc)
{
    if (isJpeg(fourcc))
        return QStringLiteral("MJPEG");
    QString s;
    for (int i = 0; i < 4; ++i)
        s += QChar(char((fourcc >> (8 * i)) & 0xff));
    return s.trimmed();
}

QList<quint32> pixelFormats(int fd)
{
    QList<quint32> formats;
    v4l2_fmtdesc desc{};
    desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    for (desc.index = 0; xioctl(fd, VIDIOC_ENUM_FMT, &desc) == 0; ++desc.index)
        formats.append(desc.pixelformat);
    return formats;
}

QList<QSize> frameSizes(int fd, quint32 fourcc, bool *anySize = nullptr)
{
    QList<QSize> sizes;
    v4l2_frmsizeenum e{};
    e.pixel_format = fourcc;
    for (e.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMESIZES, &e) == 0; ++e.index) {
        if (e.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
            sizes.append(QSize(int(e.discrete.width), int(e.discrete.height)));
        } else {
            // Stepwise or continuous: report the extremes; any size in between is accepted.
            sizes.append(QSize(int(e.stepwise.min_width), int(e.stepwise.min_height)));
            sizes.append(QSize(int(e.stepwise.max_width), int(e.stepwise.max_height)));
            if (anySize)
                *anySize = true;
            break;
        }
    }
    return sizes;
}

// The fastest rate the camera offers for this format and size; 0 when it does not say.
double maxFps(int fd, quint32 fourcc, QSize size)
{
    double best = 0;
    v4l2_frmivalenum e{};
    e.pixel_format = fourcc;
    e.width = quint32(size.width());
    e.height = quint32(size.height());
    for (e.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMEINTERVALS, &e) == 0; ++e.index) {
        const v4l2_fract f = e.type == V4L2_FRMIVAL_TYPE_DISCRETE ? e.discrete : e.stepwise.min;
        if (f.numerator)
            best = qMax(best, double(f.denominator) / f.numerator);
        if (e.type != V4L2_FRMIVAL_TYPE_DISCRETE)
            break;
    }
    return best;
}

bool offers(int fd, quint32 fourcc, QSize size, double fps)
{
    bool anySize = false;
    const QList<QSize> sizes = frameSizes(fd, fourcc, &anySize);
    const bool sizeOk = anySize ? sizes.size() == 2 && size.width() >= sizes[0].width()
            && size.height() >= sizes[0].height() && size.width() <= sizes[1].width()
            && size.height() <= sizes[1].height()
                                : sizes.contains(size);
    if (!sizeOk)
        return false;
    const double best = maxFps(fd, fourcc, size);
    return best == 0 || best + 0.5 >= fps;
}

// Monotonic V4L2 buffer time → wall clock, so X-Timestamp says when the sensor took the frame
// rather than when this thread got round to it.
qint64 captureTimeOf(const v4l2_buffer &buf)
{
    const qint64 wallNow = wallClockUs();
    if (!(buf.flags & V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC))
        return wallNow;
    const qint64 age
        = monotonicUs() - (qint64(buf.timestamp.tv_sec) * 1000000 + buf.timestamp.tv_usec);
    return age >= 0 && age < 1000000 ? wallNow - age : wallNow;
}

// The spec as the device's path ("2" → "/dev/video2"), which messages then name.
SourceOptions withDevicePath(SourceOptions options)
{
    options.spec = V4l2Source::devicePath(options.spec);
    return options;
}

} // namespace

// YUYV (Y0 U Y1 V) → I420 in one pass: luma copied, chroma averaged over two rows.
// The hottest loop of a YUYV camera; SSE2 (every x86-64) does 16 pixels a step.
void yuyvToI420(const uchar *src, int srcStride, int width, int height, const I420Planes &p)
{
    const int pairs = width / 2;
    for (int y = 0; y < height; y += 2) {
        const uchar *r0 = src + qsizetype(y) * srcStride;
        const uchar *r1 = y + 1 < height ? r0 + srcStride : r0;
        uchar *y0 = p.plane[0] + qsizetype(y) * p.stride[0];
        uchar *y1 = y + 1 < height ? y0 + p.stride[0] : y0;
        uchar *u = p.plane[1] + qsizetype(y / 2) * p.stride[1];
        uchar *v = p.plane[2] + qsizetype(y / 2) * p.stride[2];
        int x = 0;
#ifdef __SSE2__
        const __m128i lowBytes = _mm_set1_epi16(0x00ff);
        for (; x + 8 <= pairs; x += 8) {
            const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(r0 + 4 * x));
            const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(r0 + 4 * x + 16));
            const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(r1 + 4 * x));
            const __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(r1 + 4 * x + 16));
            _mm_storeu_si128(
                reinterpret_cast<__m128i *>(y0 + 2 * x),
                _mm_packus_epi16(_mm_and_si128(a0, lowBytes), _mm_and_si128(a1, lowBytes)));
            _mm_storeu_si128(
                reinterpret_cast<__m128i *>(y1 + 2 * x),
                _mm_packus_epi16(_mm_and_si128(b0, lowBytes), _mm_and_si128(b1, lowBytes)));
            // U V U V ... of both rows, averaged (rounding up, as the scalar code).
            const __m128i uv
                = _mm_avg_epu8(_mm_packus_epi16(_mm_srli_epi16(a0, 8), _mm_srli_epi16(a1, 8)),
                               _mm_packus_epi16(_mm_srli_epi16(b0, 8), _mm_srli_epi16(b1, 8)));
            const __m128i zero = _mm_setzero_si128();
            _mm_storel_epi64(reinterpret_cast<__m128i *>(u + x),
                             _mm_packus_epi16(_mm_and_si128(uv, lowBytes), zero));
            _mm_storel_epi64(reinterpret_cast<__m128i *>(v + x),
                             _mm_packus_epi16(_mm_srli_epi16(uv, 8), zero));
        }
#endif
        for (; x < pairs; ++x) {
            const uchar *a = r0 + 4 * x;
            const uchar *b = r1 + 4 * x;
            y0[2 * x] = a[0];
            y0[2 * x + 1] = a[2];
            y1[2 * x] = b[0];
            y1[2 * x + 1] = b[2];
            u[x] = uchar((a[1] + b[1] + 1) >> 1);
            v[x] = uchar((a[3] + b[3] + 1) >> 1);
        }
    }
}

V4l2Source::V4l2Source(const SourceOptions &options, QObject *parent)
    : FrameSource(withDevicePath(options), Watchdog::On, parent)
    , m_device(this->options().spec)
{
    setDeviceNode(m_device);
    setInfo({m_device, false, options.size, options.fps});
}

V4l2Source::~V4l2Source()
{
    close();
}

QString V4l2Source::devicePath(const QString &spec)
{
    bool isIndex = false;
    const int index = spec.toInt(&isIndex);
    if (isIndex && index >= 0)
        return QStringLiteral("/dev/video%1").arg(index);
    // /dev/v4l/by-id/... and by-path/... name the same camera after a replug, when its
    // /dev/videoN number may have changed.
    if (spec.startsWith(QLatin1String("/dev/video")) || spec.startsWith(QLatin1String("/dev/v4l/")))
        return spec;
    return {};
}

bool V4l2Source::fail(const QString &why)
{
    lost(why); // closes
    return false;
}

bool V4l2Source::open()
{
    close();
    const QByteArray path = m_device.toLocal8Bit();
    m_fd = ::open(path.constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0)
        return fail(m_device + QLatin1String(": ") + QString::fromLocal8Bit(strerror(errno)));

    v4l2_capability cap{};
    if (xioctl(m_fd, VIDIOC_QUERYCAP, &cap) != 0)
        return fail(m_device + QLatin1String(": ") + errorText("VIDIOC_QUERYCAP"));
    const quint32 caps
        = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING))
        return fail(QStringLiteral("%1 is not a streaming capture device").arg(m_device));
    const QString card = QString::fromUtf8(reinterpret_cast<const char *>(cap.card));

    quint32 fourcc = 0;
    double fps = 0;
    if (!chooseFormat(&fourcc) || !applyFormat(fourcc, &fps) || !startStreaming())
        return false;
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &V4l2Source::readFrames);
    m_warnedShortFrame = false;
    openControls(card, QString::fromUtf8(reinterpret_cast<const char *>(cap.bus_info)));
    opened({QStringLiteral("%1 (%2)").arg(m_device, card), true, m_size, fps,
            fourccName(m_pixelFormat)});
    return true;
}

bool V4l2Source::chooseFormat(quint32 *fourcc)
{
    // The preferred format if it gives the requested size and rate, else the other one if it
    // does, else the preferred one at whatever size the driver picks.
    const QList<quint32> available = pixelFormats(m_fd);
    QList<quint32> candidates;
    const quint32 jpegFourcc
        = available.contains(V4L2_PIX_FMT_MJPEG) ? V4L2_PIX_FMT_MJPEG : V4L2_PIX_FMT_JPEG;
    const QList<quint32> order = options().preferJpeg
        ? QList<quint32>{jpegFourcc, V4L2_PIX_FMT_YUYV}
        : QList<quint32>{V4L2_PIX_FMT_YUYV, jpegFourcc};
    for (quint32 f : order) {
        if (available.contains(f))
            candidates.append(f);
    }
    if (candidates.isEmpty()) {
        QStringList names;
        for (quint32 f : available)
            names.append(fourccName(f));
        return fail(QStringLiteral("%1 offers neither MJPEG nor YUYV (%2); try --source opencv:%1")
                        .arg(m_device, names.join(QLatin1Char(' '))));
    }
    *fourcc = candidates.first();
    for (quint32 f : candidates) {
        if (offers(m_fd, f, options().size, options().fps)) {
            *fourcc = f;
            break;
        }
    }
    return true;
}

bool V4l2Source::applyFormat(quint32 fourcc, double *fps)
{
    v4l2_format fmt{};
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    fmt.fmt.pix.width = quint32(options().size.width());
    fmt.fmt.pix.height = quint32(options().size.height());
    fmt.fmt.pix.pixelformat = fourcc;
    fmt.fmt.pix.field = V4L2_FIELD_ANY;
    if (xioctl(m_fd, VIDIOC_S_FMT, &fmt) != 0)
        return fail(m_device + QLatin1String(": ") + errorText("VIDIOC_S_FMT"));
    m_pixelFormat = fmt.fmt.pix.pixelformat;
    if (m_pixelFormat != V4L2_PIX_FMT_YUYV && !isJpeg(m_pixelFormat))
        return fail(
            QStringLiteral("%1 switched to format %2").arg(m_device, fourccName(m_pixelFormat)));
    m_size = QSize(int(fmt.fmt.pix.width), int(fmt.fmt.pix.height));
    m_bytesPerLine = int(fmt.fmt.pix.bytesperline);
    if (m_pixelFormat == V4L2_PIX_FMT_YUYV && m_bytesPerLine < m_size.width() * 2)
        m_bytesPerLine = m_size.width() * 2;

    *fps = options().fps;
    v4l2_streamparm parm{};
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    parm.parm.capture.timeperframe.numerator = 1000;
    parm.parm.capture.timeperframe.denominator = quint32(qRound(options().fps * 1000));
    if (xioctl(m_fd, VIDIOC_S_PARM, &parm) == 0 && parm.parm.capture.timeperframe.numerator)
        *fps = double(parm.parm.capture.timeperframe.denominator)
            / parm.parm.capture.timeperframe.numerator;
    return true;
}

bool V4l2Source::startStreaming()
{
    v4l2_requestbuffers req{};
    req.count = kBufferCount;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(m_fd, VIDIOC_REQBUFS, &req) != 0 || req.count < 2)
        return fail(m_device + QLatin1String(": ") + errorText("VIDIOC_REQBUFS"));
    for (quint32 i = 0; i < req.count; ++i) {
        v4l2_buffer buf{};
        buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buf.memory = V4L2_MEMORY_MMAP;
        buf.index = i;
        if (xioctl(m_fd, VIDIOC_QUERYBUF, &buf) != 0)
            return fail(m_device + QLatin1String(": ") + errorText("VIDIOC_QUERYBUF"));
        void *start
            = mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, buf.m.offset);
        if (start == MAP_FAILED)
            return fail(m_device + QLatin1String(": ") + errorText("mmap"));
        m_buffers.append({start, buf.length});
        if (xioctl(m_fd, VIDIOC_QBUF, &buf) != 0)
            return fail(m_device + QLatin1String(": ") + errorText("VIDIOC_QBUF"));
    }
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(m_fd, VIDIOC_STREAMON, &type) != 0)
        return fail(m_device + QLatin1String(": ") + errorText("VIDIOC_STREAMON"));
    return true;
}

void V4l2Source::close()
{
    m_notifier.reset();
    m_controlNotifier.reset();
    if (controls().available) {
        CameraControls none;
        none.reason = QStringLiteral("the camera is not connected");
        setControls(none);
    }
    if (m_fd >= 0) {
        v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        xioctl(m_fd, VIDIOC_STREAMOFF, &type);
    }
    for (const Buffer &b : std::as_const(m_buffers))
        munmap(b.start, b.length);
    m_buffers.clear();
    if (m_fd >= 0) {
        v4l2_requestbuffers req{};
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        req.memory = V4L2_MEMORY_MMAP;
        xioctl(m_fd, VIDIOC_REQBUFS, &req); // count 0: frees the driver's buffers
        ::close(m_fd);
    }
    m_fd = -1;
}

void V4l2Source::readFrames()
{
    // Drain what is ready and keep only the newest: older frames go straight back to the
    // driver, so a busy moment never turns into latency.
    v4l2_buffer newest{};
    bool have = false;
    for (;;) {
        v4l2_buffer buf{};
        buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buf.memory = V4L2_MEMORY_MMAP;
        if (xioctl(m_fd, VIDIOC_DQBUF, &buf) != 0) {
            if (errno == EAGAIN)
                break;
            // ENODEV: unplugged. Anything else is no better.
            fail(m_device + QLatin1String(": ") + errorText("VIDIOC_DQBUF"));
            return;
        }
        if (have)
            xioctl(m_fd, VIDIOC_QBUF, &newest);
        newest = buf;
        have = true;
    }
    if (!have || int(newest.index) >= m_buffers.size())
        return;
    feedWatchdog();
    deliver(m_buffers[int(newest.index)], newest.bytesused, captureTimeOf(newest));
    if (xioctl(m_fd, VIDIOC_QBUF, &newest) != 0)
        fail(m_device + QLatin1String(": ") + errorText("VIDIOC_QBUF"));
}

void V4l2Source::deliver(const Buffer &buffer, quint32 bytesUsed, qint64 captureTimeUs)
{
    RawFrame frame;
    frame.captureTimeUs = captureTimeUs;
    frame.width = m_size.width();
    frame.height = m_size.height();
    const auto *data = static_cast<const uchar *>(buffer.start);
    const quint32 used = qMin<quint32>(bytesUsed, quint32(buffer.length));
    if (isJpeg(m_pixelFormat)) {
        // Checked (markers, size) by the encoder, which counts the broken ones.
        frame.kind = RawFrame::Kind::Jpeg;
        frame.jpeg = QByteArray(reinterpret_cast<const char *>(data), qsizetype(used));
    } else {
        const qsizetype needed
            = qsizetype(m_bytesPerLine) * (m_size.height() - 1) + m_size.width() * 2;
        if (used < needed) {
            if (!m_warnedShortFrame)
                qCWarning(lcSource).noquote() << m_device << "sent a short frame:" << used << "of"
                                              << needed << "bytes; dropped";
            m_warnedShortFrame = true;
            return;
        }
        frame.kind = RawFrame::Kind::I420;
        frame.image
            = m_pool.acquire(i420ImageSize(frame.width, frame.height), QImage::Format_Grayscale8);
        if (frame.image.isNull())
            return;
        yuyvToI420(data, m_bytesPerLine, frame.width, frame.height,
                   i420Planes(frame.image, frame.width, frame.height));
    }
    emitFrame(std::move(frame));
}

QString V4l2Source::describeDevices()
{
    QString text;
    QTextStream out(&text);
    // Probed by opening rather than listed from /dev, so that an emulated device (such as the
    // LD_PRELOAD fake camera the tests use) shows up too.
    for (int n = 0; n < 64; ++n) {
        const QString path = QStringLiteral("/dev/video%1").arg(n);
        const int fd = ::open(path.toLocal8Bit().constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        v4l2_capability cap{};
        const bool ok = xioctl(fd, VIDIOC_QUERYCAP, &cap) == 0;
        const quint32 caps
            = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
        if (ok && (caps & V4L2_CAP_VIDEO_CAPTURE)) {
            out << "  " << path << "  " << reinterpret_cast<const char *>(cap.card) << " ("
                << reinterpret_cast<const char *>(cap.driver) << ")  --source " << path << '\n';
            for (quint32 fourcc : pixelFormats(fd)) {
                out << "    " << qSetFieldWidth(6) << Qt::left << fourccName(fourcc)
                    << qSetFieldWidth(0);
                bool anySize = false;
                const QList<QSize> sizes = frameSizes(fd, fourcc, &anySize);
                if (anySize && sizes.size() == 2) {
                    out << " any size from " << sizes[0].width() << 'x' << sizes[0].height()
                        << " to " << sizes[1].width() << 'x' << sizes[1].height();
                } else {
                    for (const QSize &s : sizes) {
                        out << ' ' << s.width() << 'x' << s.height();
                        const double fps = maxFps(fd, fourcc, s);
                        if (fps > 0)
                            out << '@' << fps;
                    }
                }
                out << '\n';
            }
        }
        ::close(fd);
    }
    out.flush();
    return text.isEmpty() ? QStringLiteral("  (none)\n") : text;
}

QString V4l2Source::stableName(const QString &card, const QString &busInfo) const
{
    // The by-id link survives a replug on another port and another /dev/videoN.
    const QString target = QFileInfo(m_device).canonicalFilePath();
    const QDir byId(QStringLiteral("/dev/v4l/by-id"));
    for (const QFileInfo &link : byId.entryInfoList(QDir::System | QDir::Files)) {
        if (link.canonicalFilePath() == target)
            return link.absoluteFilePath();
    }
    return QStringLiteral("%1 %2").arg(card, busInfo);
}

void V4l2Source::openControls(const QString &card, const QString &busInfo)
{
    CameraControls list = V4l2Controls::read(m_fd);
    if (!list.available) {
        setControls(list);
        return;
    }
    list.camera = stableName(card, busInfo);
    const ControlValues values = Controls::mastersFirst(list, wantedControls(list));
    // One at a time: a value the camera refuses (an exposure time while auto exposure is on)
    // costs only itself.
    for (const auto &value : std::as_const(values)) {
        const QString error = V4l2Controls::apply(m_fd, {value}, &list);
        if (!error.isEmpty())
            qCWarning(lcSource).noquote() << m_device << error;
    }
    if (V4l2Controls::subscribe(m_fd, list)) {
        m_controlNotifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Exception);
        connect(m_controlNotifier.get(), &QSocketNotifier::activated, this,
                &V4l2Source::readControlEvents);
    }
    V4l2Controls::takeEvents(m_fd, &list); // the initial ones: nothing new
    setControls(list);
}

void V4l2Source::readControlEvents()
{
    CameraControls list = controls();
    if (V4l2Controls::takeEvents(m_fd, &list))
        setControls(list);
}

void V4l2Source::applyControls(quint64 requestId, const ControlValues &values)
{
    CameraControls list = controls();
    QString error = Controls::refusal(list, values);
    if (error.isEmpty() && m_fd >= 0) {
        error = V4l2Controls::apply(m_fd, values, &list);
        rememberControls(values, list);
        V4l2Controls::takeEvents(m_fd, &list); // our own changes' echoes
        setControls(list);
    }
    emit controlsApplied(requestId, list, error);
}
