#include "previewstage.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <cmath>

#include <turbojpeg.h>

Q_LOGGING_CATEGORY(lcPreview, "kiosk.preview")

namespace {
// QImage::Format_RGB32 is 0xffRRGGBB in native order: B, G, R, X in memory on little-endian.
constexpr int kRgb32 = Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? TJPF_BGRX : TJPF_XRGB;
// Merged (SIMD) chroma upsampling and the fast integer DCT: the screen is no archive, and the
// difference is invisible at the size shown.
constexpr int kTurboFlags = TJFLAG_FASTUPSAMPLE | TJFLAG_FASTDCT;

int chromaSize(int size)
{
    return (size + 1) / 2;
}
} // namespace

PreviewStage::PreviewStage(QObject *parent)
    : QObject(parent)
    , m_context(std::make_unique<QObject>())
    , m_pool(2)
{
    m_thread.setObjectName(QStringLiteral("preview"));
    m_context->moveToThread(&m_thread);
}

PreviewStage::~PreviewStage()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopped = true;
        m_active = false;
    }
    m_thread.quit();
    m_thread.wait();
    m_context.reset();
    if (m_tj)
        tjDestroy(m_tj);
}

int PreviewStage::addView()
{
    QMutexLocker lock(&m_mutex);
    const int id = m_nextViewId++;
    m_views.insert(id, View());
    return id;
}

void PreviewStage::setView(int id, QSize box, bool shown)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_views.find(id);
    if (it == m_views.end())
        return;
    it->box = box;
    it->shown = shown;
    updateActive();
}

void PreviewStage::removeView(int id)
{
    QMutexLocker lock(&m_mutex);
    m_views.remove(id);
    updateActive();
}

void PreviewStage::updateActive()
{
    m_boxes.clear();
    for (const View &view : std::as_const(m_views)) {
        if (view.shown && !view.box.isEmpty())
            m_boxes.append(view.box);
    }
    const bool active = !m_boxes.isEmpty() && !m_stopped;
    m_active = active;
    if (!active) {
        // Nobody looks: let the frame waiting here go back to its pool now.
        m_pending = RawFrame();
        m_hasPending = false;
    } else if (!m_thread.isRunning()) {
        m_thread.start(); // at the first view shown: a headless server never starts it
    }
}

void PreviewStage::submit(const RawFrame &frame)
{
    if (!m_active.load(std::memory_order_relaxed))
        return;
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_active)
            return;
        ++m_counters.submitted;
        if (m_hasPending)
            ++m_counters.replaced;
        wake = !m_hasPending;
        m_pending = frame;
        m_hasPending = true;
    }
    // One wake-up per waiting frame: a replaced frame reuses the one already posted.
    if (wake)
        QMetaObject::invokeMethod(
            m_context.get(), [this] { processPending(); }, Qt::QueuedConnection);
}

PreviewPicture PreviewStage::picture() const
{
    QMutexLocker lock(&m_mutex);
    return m_picture;
}

PreviewStage::Counters PreviewStage::counters() const
{
    QMutexLocker lock(&m_mutex);
    return m_counters;
}

QSize PreviewStage::fittedSize(QSize frame, QSize box)
{
    if (frame.isEmpty() || box.isEmpty())
        return frame;
    const double scale = std::min(
        {1.0, double(box.width()) / frame.width(), double(box.height()) / frame.height()});
    return QSize(std::max(1, int(std::lround(frame.width() * scale))),
                 std::max(1, int(std::lround(frame.height() * scale))));
}

void PreviewStage::processPending()
{
    RawFrame raw;
    QSize target;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_hasPending)
            return;
        raw = std::move(m_pending);
        m_pending = RawFrame();
        m_hasPending = false;
        // The largest view decides; a smaller one is scaled down by the scene graph.
        for (const QSize &box : std::as_const(m_boxes)) {
            const QSize fitted = fittedSize(QSize(raw.width, raw.height), box);
            if (fitted.width() > target.width())
                target = fitted;
        }
    }
    if (!raw.isValid() || target.isEmpty())
        return;
    // The same still picture again (the privacy placeholder, redrawn once a second): nothing
    // new to show.
    if (raw.kind == RawFrame::Kind::Image && raw.image.cacheKey() == m_lastImageKey
        && target == m_lastImageTarget)
        return;

    QElapsedTimer timer;
    timer.start();
    QImage image = make(raw, target);
    const qint64 elapsedUs = timer.nsecsElapsed() / 1000;
    {
        QMutexLocker lock(&m_mutex);
        if (image.isNull()) {
            ++m_counters.failed;
            return;
        }
        ++m_counters.made;
        m_counters.lastMakeUs = elapsedUs;
        m_picture = PreviewPicture{image, raw.sequence, raw.captureTimeUs,
                                   QSize(raw.width, raw.height), raw.live};
    }
    emit pictureReady();
}

QImage PreviewStage::make(const RawFrame &frame, QSize target)
{
    switch (frame.kind) {
    case RawFrame::Kind::Image:
        m_lastImageKey = frame.image.cacheKey();
        m_lastImageTarget = target;
        return fromImage(frame, target);
    case RawFrame::Kind::I420:
        return fromI420(frame, target);
    case RawFrame::Kind::Jpeg:
        return fromJpeg(frame, target);
    }
    return {};
}

QImage PreviewStage::fromImage(const RawFrame &frame, QSize target)
{
    // Already RGB: shared as it is when it fits (no copy at all), else one smooth scale, in
    // RGB32, where Qt's scaler is fastest (OpenCV's BGR888 converted first: 4.3 ms instead of
    // 7.2 for 1280x720 to 840x473 here).
    QImage image = frame.image;
    if (image.format() != QImage::Format_RGB32)
        image = image.convertToFormat(QImage::Format_RGB32);
    if (image.size() != target)
        image = image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return image;
}

bool PreviewStage::ensureDecompressor()
{
    if (!m_tj && !(m_tj = tjInitDecompress()))
        qCWarning(lcPreview) << "tjInitDecompress failed:" << tjGetErrorStr2(nullptr);
    return m_tj;
}

QImage PreviewStage::fromI420(const RawFrame &frame, QSize target)
{
    if (frame.image.size() != i420ImageSize(frame.width, frame.height))
        return {};
    const I420ConstPlanes p = i420Planes(frame.image, frame.width, frame.height);
    if (target == QSize(frame.width, frame.height))
        return yuvToRgb(p.plane, p.stride, TJSAMP_420, target);
    const PlaneScaler::Plane planes[3] = {
        {p.plane[0], p.stride[0], frame.width, frame.height},
        {p.plane[1], p.stride[1], chromaSize(frame.width), chromaSize(frame.height)},
        {p.plane[2], p.stride[2], chromaSize(frame.width), chromaSize(frame.height)},
    };
    return scaledToRgb(planes, target);
}

QImage PreviewStage::fromJpeg(const RawFrame &frame, QSize target)
{
    if (!ensureDecompressor())
        return {};
    const auto *data = reinterpret_cast<const uchar *>(frame.jpeg.constData());
    const auto size = (unsigned long)frame.jpeg.size();
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(m_tj, data, size, &width, &height, &subsampling, &colorspace) != 0)
        return {};
    // The smallest of the SIMD-accelerated DCT scalings (1, 1/2, 1/4, 1/8) that is not
    // smaller than the target: most of the downscale then costs nothing.
    const QSize decoded = JpegPlanes::decodedSize(QSize(width, height), target);
    const auto decodeFailed = [this] { return tjGetErrorCode(m_tj) != TJERR_WARNING; };
    if (decoded == target || subsampling == TJSAMP_GRAY) {
        // Straight to RGB (grey JPEGs too, scaled afterwards: rare enough not to matter).
        QImage image = m_pool.acquire(decoded, QImage::Format_RGB32);
        if (image.isNull()
            || (tjDecompress2(m_tj, data, size, image.bits(), decoded.width(),
                              int(image.bytesPerLine()), decoded.height(), kRgb32, kTurboFlags)
                    != 0
                && decodeFailed())) // a warning (corrupt but displayable) still gives a picture
            return {};
        return decoded == target
            ? image
            : image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    // To planes at the JPEG's own subsampling (no colour conversion, no upsampling), scaled on
    // the planes, converted at the target size.
    PlaneScaler::Plane planes[3];
    if (!JpegPlanes::decode(m_tj, frame.jpeg, decoded, subsampling, &m_jpegPlanes, planes))
        return {};
    return scaledToRgb(planes, target);
}

QImage PreviewStage::scaledToRgb(const PlaneScaler::Plane (&planes)[3], QSize target)
{
    const int w = target.width(), h = target.height();
    const int cw = chromaSize(w), ch = chromaSize(h);
    m_scaledPlanes.resize(size_t(w) * size_t(h) + 2 * size_t(cw) * size_t(ch));
    uchar *out[3] = {m_scaledPlanes.data(), nullptr, nullptr};
    out[1] = out[0] + qsizetype(w) * h;
    out[2] = out[1] + qsizetype(cw) * ch;
    const int strides[3] = {w, cw, cw};
    m_scaler.scaleToI420(planes, target, I420Planes{{out[0], out[1], out[2]}, {w, cw, cw}});
    const uchar *in[3] = {out[0], out[1], out[2]};
    return yuvToRgb(in, strides, TJSAMP_420, target);
}

QImage PreviewStage::yuvToRgb(const uchar *const (&planes)[3], const int (&strides)[3],
                              int subsampling, QSize size)
{
    if (!ensureDecompressor())
        return {};
    QImage image = m_pool.acquire(size, QImage::Format_RGB32);
    const uchar *src[3] = {planes[0], planes[1], planes[2]};
    if (image.isNull()
        || tjDecodeYUVPlanes(m_tj, src, strides, subsampling, image.bits(), size.width(),
                             int(image.bytesPerLine()), size.height(), kRgb32, kTurboFlags)
            != 0)
        return {};
    return image;
}
