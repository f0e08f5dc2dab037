#include "jpegencoder.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <turbojpeg.h>

Q_LOGGING_CATEGORY(lcEncode, "kiosk.encode")

namespace {
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
{
}

JpegEncoder::~JpegEncoder()
{
    if (m_tj)
        tjDestroy(m_tj);
    tjFree(m_scratch);
}

void JpegEncoder::setQuality(int quality)
{
    m_quality = qBound(1, quality, 100);
}

JpegEncoder::Counters JpegEncoder::counters() const
{
    QMutexLocker lock(&m_mutex);
    return m_counters;
}

void JpegEncoder::submit(const RawFrame &frame)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        ++m_counters.submitted;
        if (m_hasPending)
            ++m_counters.replaced;
        wake = !m_hasPending;
        m_pending = frame;
        m_hasPending = true;
    }
    // One wake-up per waiting frame: a replaced frame reuses the wake-up already posted.
    if (wake)
        QMetaObject::invokeMethod(this, &JpegEncoder::encodePending, Qt::QueuedConnection);
}

void JpegEncoder::encodePending()
{
    RawFrame raw;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_hasPending)
            return;
        raw = std::move(m_pending);
        m_pending = RawFrame();
        m_hasPending = false;
    }

    QElapsedTimer timer;
    timer.start();
    QByteArray jpeg;
    if (raw.kind == RawFrame::Kind::Jpeg)
        jpeg = raw.jpeg;
    else
        jpeg = encode(raw.image, m_quality.load());
    const qint64 elapsedUs = timer.nsecsElapsed() / 1000;

    {
        QMutexLocker lock(&m_mutex);
        if (jpeg.isEmpty()) {
            ++m_counters.failed;
        } else {
            ++m_counters.encoded;
            m_counters.lastEncodeUs = elapsedUs;
        }
    }
    if (jpeg.isEmpty())
        return;
    emit frameEncoded(Frame(raw.sequence, raw.captureTimeUs, jpeg, raw.image,
                            QSize(raw.width, raw.height), raw.live));
}

QByteArray JpegEncoder::encode(const QImage &image, int quality)
{
    const int pixelFormat = turboPixelFormat(image.format());
    if (image.isNull() || pixelFormat < 0) {
        qCWarning(lcEncode) << "cannot encode image format" << image.format();
        return {};
    }
    if (!m_tj) {
        m_tj = tjInitCompress();
        if (!m_tj) {
            qCWarning(lcEncode) << "tjInitCompress failed:" << tjGetErrorStr2(nullptr);
            return {};
        }
    }
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
    return QByteArray(reinterpret_cast<const char *>(m_scratch), qsizetype(size));
}
