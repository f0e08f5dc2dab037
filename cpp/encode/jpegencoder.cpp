#include "jpegencoder.h"

#include "core/clock.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <cmath>
#include <cstring>

#include <turbojpeg.h>

Q_LOGGING_CATEGORY(lcEncode, "kiosk.encode")

namespace {
// Smaller than any real frame; what a camera sends when a transfer is cut short can be.
constexpr qsizetype kMinJpegBytes = 128;

int turboPixelFormat(QImage::Format format)
{
    switch (format) {
    case QImage::Format_RGB32:
    case QImage::Format_ARGB32:
    case QImage::Format_ARGB32_Premultiplied:
        // 0xffRRGGBB in native (little-endian) order is B, G, R, X in memory.
        return Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? TJPF_BGRX : TJPF_XRGB;
    case QImage::Format_RGB888:
        return TJPF_RGB;
    case QImage::Format_BGR888:
        return TJPF_BGR;
    case QImage::Format_RGBX8888:
    case QImage::Format_RGBA8888:
        return TJPF_RGBX;
    case QImage::Format_Grayscale8:
        return TJPF_GRAY;
    default:
        return -1;
    }
}
} // namespace

JpegEncoder::JpegEncoder(int quality, QObject *parent)
    : QObject(parent)
    , m_quality(quality)
{ }

JpegEncoder::~JpegEncoder()
{
    if (m_tj)
        tjDestroy(m_tj);
    if (m_tjd)
        tjDestroy(m_tjd);
    tjFree(m_scratch);
}

void JpegEncoder::setQuality(int quality)
{
    m_quality = qBound(1, quality, 100);
}

void JpegEncoder::setOverlay(const QString &format)
{
    QMutexLocker lock(&m_mutex);
    m_overlayFormat = format;
}

JpegEncoder::Counters JpegEncoder::counters() const
{
    QMutexLocker lock(&m_mutex);
    Counters counters = m_counters;
    counters.idleNow = !m_needed;
    return counters;
}

void JpegEncoder::setNeeded(bool needed)
{
    // Nothing to do here when it comes back on: the frame waiting now was captured before,
    // and the next one, due within a frame interval, wakes the encoder (a fresh /snapshot
    // wants that one anyway).
    {
        QMutexLocker lock(&m_mutex);
        m_needed = needed;
    }
    emit countersChanged(counters()); // idle or not
}

void JpegEncoder::submit(const RawFrame &frame)
{
    bool wake = false;
    bool idle = false;
    {
        QMutexLocker lock(&m_mutex);
        ++m_counters.submitted;
        if (m_hasPending) {
            ++m_counters.replaced;
            if (!m_needed)
                ++m_counters.idle;
        }
        m_pending = frame;
        m_hasPending = true;
        // One wake-up per waiting frame: a replaced frame reuses the wake-up already posted.
        wake = m_needed && !m_wakeQueued;
        m_wakeQueued = m_wakeQueued || wake;
        idle = !m_needed;
    }
    // Idle, no frame is handled to report the figures: the captured frames are counted here.
    if (idle)
        emit countersChanged(counters());
    if (wake)
        QMetaObject::invokeMethod(this, &JpegEncoder::encodePending, Qt::QueuedConnection);
}

bool JpegEncoder::checkJpeg(QByteArray *jpeg)
{
    const auto *d = reinterpret_cast<const uchar *>(jpeg->constData());
    qsizetype n = jpeg->size();
    if (n < kMinJpegBytes || d[0] != 0xff || d[1] != 0xd8 || d[2] != 0xff)
        return false;
    // UVC cameras often report the whole buffer, the JPEG followed by zeros.
    while (n > kMinJpegBytes && d[n - 1] == 0)
        --n;
    if (d[n - 2] != 0xff || d[n - 1] != 0xd9)
        return false;
    if (n != jpeg->size())
        jpeg->truncate(n);
    return true;
}

namespace {
// The standard (JPEG Annex K) Huffman tables as DHT segments, taken once from what TurboJPEG
// writes by default rather than typed in.
QByteArray standardHuffmanTables()
{
    QByteArray tables;
    tjhandle tj = tjInitCompress();
    if (!tj)
        return tables;
    uchar pixels[16 * 16 * 3] = {};
    uchar *jpeg = nullptr;
    unsigned long size = 0;
    if (tjCompress2(tj, pixels, 16, 0, 16, TJPF_RGB, &jpeg, &size, TJSAMP_420, 75, 0) == 0) {
        const QByteArray bytes(reinterpret_cast<const char *>(jpeg), qsizetype(size));
        for (qsizetype pos = 2; pos + 4 <= bytes.size() && uchar(bytes[pos]) == 0xff;) {
            const uchar marker = uchar(bytes[pos + 1]);
            if (marker == 0xda)
                break;
            const int length = (uchar(bytes[pos + 2]) << 8) | uchar(bytes[pos + 3]);
            if (marker == 0xc4)
                tables += bytes.mid(pos, 2 + length);
            pos += 2 + length;
        }
    }
    tjFree(jpeg);
    tjDestroy(tj);
    return tables;
}
} // namespace

bool JpegEncoder::addMissingHuffmanTables(QByteArray *jpeg)
{
    const auto *d = reinterpret_cast<const uchar *>(jpeg->constData());
    const qsizetype n = jpeg->size();
    for (qsizetype pos = 2; pos + 4 <= n;) {
        if (d[pos] != 0xff)
            return false; // not a marker where one should be: leave the frame alone
        const uchar marker = d[pos + 1];
        if (marker == 0xff) { // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xc4)
            return false; // has its own tables
        if (marker == 0xda) {
            static const QByteArray tables = standardHuffmanTables();
            if (tables.isEmpty())
                return false;
            jpeg->insert(pos, tables);
            return true;
        }
        if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) {
            pos += 2;
            continue;
        }
        pos += 2 + ((d[pos + 2] << 8) | d[pos + 3]);
    }
    return false;
}

void JpegEncoder::setOutput(int profile, int width, int quality)
{
    QMutexLocker lock(&m_mutex);
    m_output = Output{profile, qMax(0, width), qBound(0, quality, 100)};
}

QSize JpegEncoder::profileSize(QSize frame, int width)
{
    if (width <= 0 || frame.isEmpty() || width >= frame.width())
        return frame;
    const int w = qMax(2, width & ~1);
    const int h = qMax(2, int(std::lround(double(frame.height()) * w / frame.width() / 2)) * 2);
    return QSize(w, qMin(h, frame.height()));
}

bool JpegEncoder::takePending(RawFrame *raw, Output *output)
{
    QString overlayFormat;
    {
        QMutexLocker lock(&m_mutex);
        m_wakeQueued = false;
        if (!m_hasPending)
            return false;
        *raw = std::move(m_pending);
        m_pending = RawFrame();
        m_hasPending = false;
        overlayFormat = m_overlayFormat;
        *output = m_output;
    }
    if (overlayFormat != m_overlayApplied) {
        m_overlay.setFormat(overlayFormat);
        m_overlayApplied = overlayFormat;
    }
    return true;
}

JpegEncoder::Encoded JpegEncoder::encodeRaw(RawFrame &raw, int quality, bool reencodeJpeg)
{
    // Placeholders carry their own clock; the overlay is for the camera's picture.
    const bool overlay = !m_overlay.isEmpty() && raw.live;
    Encoded out;
    switch (raw.kind) {
    case RawFrame::Kind::Jpeg:
        if (!checkJpeg(&raw.jpeg)) {
            out.corrupt = true;
        } else if (reencodeJpeg) {
            QImage decoded = decodeJpeg(raw.jpeg);
            out.corrupt = decoded.isNull();
            if (!out.corrupt && overlay)
                m_overlay.drawOn(decoded, raw.captureTimeUs);
            if (!out.corrupt)
                out.jpeg = encode(decoded, quality);
        } else {
            addMissingHuffmanTables(&raw.jpeg);
            out.jpeg = raw.jpeg;
            out.passedThrough = true;
        }
        break;
    case RawFrame::Kind::I420:
        if (overlay)
            m_overlay.drawOnI420(raw.image, raw.width, raw.height, raw.captureTimeUs);
        out.jpeg = encodeI420(raw.image, raw.width, raw.height, quality);
        break;
    case RawFrame::Kind::Image:
        if (overlay)
            m_overlay.drawOn(raw.image, raw.captureTimeUs);
        out.jpeg = encode(raw.image, quality);
        break;
    }
    return out;
}

RawFrame JpegEncoder::downscaled(const RawFrame &raw, QSize target)
{
    RawFrame out = raw;
    out.image = QImage();
    out.jpeg = QByteArray();
    out.width = target.width();
    out.height = target.height();
    switch (raw.kind) {
    case RawFrame::Kind::Image:
        out.image = raw.image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        return out;
    case RawFrame::Kind::I420: {
        if (raw.image.size() != i420ImageSize(raw.width, raw.height))
            return RawFrame();
        const I420ConstPlanes p = i420Planes(raw.image, raw.width, raw.height);
        const int cw = (raw.width + 1) / 2, ch = (raw.height + 1) / 2;
        const PlaneScaler::Plane planes[3] = {{p.plane[0], p.stride[0], raw.width, raw.height},
                                              {p.plane[1], p.stride[1], cw, ch},
                                              {p.plane[2], p.stride[2], cw, ch}};
        out.image = m_pool.acquire(i420ImageSize(out.width, out.height), QImage::Format_Grayscale8);
        if (out.image.isNull())
            return RawFrame();
        m_scaler.scaleToI420(planes, target, i420Planes(out.image, out.width, out.height));
        return out;
    }
    case RawFrame::Kind::Jpeg:
        return downscaleJpeg(raw, target, &out) ? out : RawFrame();
    }
    return RawFrame();
}

bool JpegEncoder::downscaleJpeg(const RawFrame &raw, QSize target, RawFrame *out)
{
    QByteArray jpeg = raw.jpeg;
    if (!checkJpeg(&jpeg) || (!m_tjd && !(m_tjd = tjInitDecompress())))
        return false;
    const auto *data = reinterpret_cast<const unsigned char *>(jpeg.constData());
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(m_tjd, data, (unsigned long)jpeg.size(), &width, &height, &subsampling,
                            &colorspace)
        != 0)
        return false;
    if (subsampling == TJSAMP_GRAY) { // rare: through RGB
        const QImage decoded = decodeJpeg(jpeg);
        out->kind = RawFrame::Kind::Image;
        out->image = decoded.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        return !decoded.isNull();
    }
    // The DCT scaling does most of the downscale in the decode; the planes do the rest.
    PlaneScaler::Plane planes[3];
    const QSize decoded = JpegPlanes::decodedSize(QSize(width, height), target);
    if (!JpegPlanes::decode(m_tjd, jpeg, decoded, subsampling, &m_jpegPlanes, planes))
        return false;
    out->kind = RawFrame::Kind::I420;
    out->image = m_pool.acquire(i420ImageSize(out->width, out->height), QImage::Format_Grayscale8);
    if (out->image.isNull())
        return false;
    m_scaler.scaleToI420(planes, target, i420Planes(out->image, out->width, out->height));
    return true;
}

bool JpegEncoder::dropAsSame(const QByteArray &jpeg, bool live)
{
    // Identical to the frame before (a still scene from a camera that encodes the same
    // picture the same way, a paused file): viewers need not get it again, but do get one
    // now and then so that they can tell the stream is alive.
    const int maxDropped = m_dropSameFrames.load();
    const bool same = maxDropped > 0 && !jpeg.isEmpty() && live == m_previousLive
        && jpeg.size() == m_previousJpeg.size()
        && std::memcmp(jpeg.constData(), m_previousJpeg.constData(), size_t(jpeg.size())) == 0;
    const bool dropSame = same && m_sameInARow < maxDropped;
    if (!jpeg.isEmpty() && !dropSame) {
        m_sameInARow = 0;
        m_previousJpeg = jpeg;
        m_previousLive = live;
    } else if (dropSame) {
        ++m_sameInARow;
    }
    return dropSame;
}

JpegEncoder::Counters JpegEncoder::count(const Encoded &encoded, bool dropSame)
{
    QMutexLocker lock(&m_mutex);
    if (encoded.corrupt) {
        ++m_counters.corrupt;
    } else if (encoded.jpeg.isEmpty()) {
        ++m_counters.failed;
    } else {
        ++m_counters.encoded;
        m_counters.lastEncodeUs = encoded.elapsedUs;
        if (encoded.passedThrough)
            ++m_counters.passedThrough;
        if (dropSame)
            ++m_counters.sameDropped;
    }
    Counters counters = m_counters;
    counters.idleNow = !m_needed;
    return counters;
}

void JpegEncoder::encodePending()
{
    RawFrame raw;
    Output output;
    if (!takePending(&raw, &output))
        return;
    QElapsedTimer timer;
    timer.start();
    // A profile never passes camera JPEGs through: it is another size or quality.
    const bool reencodeJpeg = output.profile != 0 || m_reencodeJpeg.load();
    const QSize target = profileSize(QSize(raw.width, raw.height), output.width);
    Encoded encoded;
    if (target != QSize(raw.width, raw.height)) {
        const bool live = raw.live;
        raw = downscaled(raw, target);
        raw.live = live;
        encoded.corrupt = !raw.isValid(); // a camera JPEG that cannot be decoded
    }
    if (!encoded.corrupt)
        encoded
            = encodeRaw(raw, output.quality > 0 ? output.quality : m_quality.load(), reencodeJpeg);
    encoded.elapsedUs = timer.nsecsElapsed() / 1000;
    const bool dropSame = dropAsSame(encoded.jpeg, raw.live);
    emit countersChanged(count(encoded, dropSame));
    if (encoded.corrupt || encoded.jpeg.isEmpty() || dropSame)
        return;
    emit frameEncoded(Frame(raw.sequence, raw.captureTimeUs, encoded.jpeg,
                            QSize(raw.width, raw.height), raw.live, output.profile));
}

bool JpegEncoder::ensureCompressor()
{
    if (!m_tj) {
        m_tj = tjInitCompress();
        if (!m_tj) {
            qCWarning(lcEncode) << "tjInitCompress failed:" << tjGetErrorStr2(nullptr);
            return false;
        }
    }
    return true;
}

QByteArray JpegEncoder::compressed(unsigned long size) const
{
    return QByteArray(reinterpret_cast<const char *>(m_scratch), qsizetype(size));
}

QByteArray JpegEncoder::encode(const QImage &image, int quality)
{
    const int pixelFormat = turboPixelFormat(image.format());
    if (image.isNull() || pixelFormat < 0) {
        qCWarning(lcEncode) << "cannot encode image format" << image.format();
        return {};
    }
    if (!ensureCompressor())
        return {};
    // Compress into a scratch buffer big enough for the worst case (so TurboJPEG never
    // reallocates), then copy once into an exactly sized array: that one array is what every
    // viewer shares, and a worst-case-sized buffer per frame would waste megabytes.
    const int subsampling = pixelFormat == TJPF_GRAY ? TJSAMP_GRAY : TJSAMP_420;
    const unsigned long worstCase = tjBufSize(image.width(), image.height(), subsampling);
    if (worstCase > m_scratchCapacity) {
        tjFree(m_scratch);
        m_scratch = tjAlloc(int(worstCase));
        m_scratchCapacity = m_scratch ? worstCase : 0;
        if (!m_scratch)
            return {};
    }
    unsigned long size = m_scratchCapacity;
    if (tjCompress2(m_tj, image.constBits(), image.width(), int(image.bytesPerLine()),
                    image.height(), pixelFormat, &m_scratch, &size, subsampling,
                    qBound(1, quality, 100), TJFLAG_NOREALLOC)
        != 0) {
        qCWarning(lcEncode) << "tjCompress2 failed:" << tjGetErrorStr2(m_tj);
        return {};
    }
    return compressed(size);
}

QByteArray JpegEncoder::encodeI420(const QImage &planes, int width, int height, int quality)
{
    if (planes.isNull() || planes.size() != i420ImageSize(width, height) || !ensureCompressor())
        return {};
    const unsigned long worstCase = tjBufSize(width, height, TJSAMP_420);
    if (worstCase > m_scratchCapacity) {
        tjFree(m_scratch);
        m_scratch = tjAlloc(int(worstCase));
        m_scratchCapacity = m_scratch ? worstCase : 0;
        if (!m_scratch)
            return {};
    }
    // Read only: the frame is shared with the preview, and must not be copied for it.
    I420ConstPlanes p = i420Planes(planes, width, height);
    unsigned long size = m_scratchCapacity;
    // Straight from the planes: no colour conversion, no chroma subsampling left to do.
    if (tjCompressFromYUVPlanes(m_tj, p.plane, width, p.stride, height, TJSAMP_420, &m_scratch,
                                &size, qBound(1, quality, 100), TJFLAG_NOREALLOC)
        != 0) {
        qCWarning(lcEncode) << "tjCompressFromYUVPlanes failed:" << tjGetErrorStr2(m_tj);
        return {};
    }
    return compressed(size);
}

QImage JpegEncoder::decodeJpeg(const QByteArray &jpeg)
{
    if (!m_tjd && !(m_tjd = tjInitDecompress()))
        return {};
    const auto *data = reinterpret_cast<const unsigned char *>(jpeg.constData());
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(m_tjd, data, (unsigned long)jpeg.size(), &width, &height, &subsampling,
                            &colorspace)
        != 0)
        return {};
    // Decodes for re-encoding happen every frame: pooled buffers.
    QImage image = m_pool.acquire(QSize(width, height), QImage::Format_RGB32);
    if (image.isNull())
        return {};
    if (tjDecompress2(m_tjd, data, (unsigned long)jpeg.size(), image.bits(), width,
                      int(image.bytesPerLine()), height, turboPixelFormat(QImage::Format_RGB32),
                      TJFLAG_FASTDCT)
        != 0) {
        // Warnings (corrupt but displayable data) still leave a picture.
        if (tjGetErrorCode(m_tjd) != TJERR_WARNING)
            return {};
    }
    return image;
}
