#include "framesource.h"

#include <QLoggingCategory>

#include <time.h>

Q_LOGGING_CATEGORY(lcSource, "kiosk.capture")

namespace {
constexpr int kFirstBackoffMs = 500;
constexpr int kMaxBackoffMs = 10000;
} // namespace

qint64 wallClockUs()
{
    // CLOCK_REALTIME, not QDateTime: viewers compare X-Timestamp with their own clock, and
    // milliseconds are too coarse to see a few hundred microseconds of pipeline latency.
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

FrameSource::FrameSource(QObject *parent)
    : QObject(parent)
    , m_reopenTimer(this) // a child, so it moves to the capture thread with the source
{
    m_reopenTimer.setSingleShot(true);
    connect(&m_reopenTimer, &QTimer::timeout, this, [this] { open(); });
}

void FrameSource::lost(const QString &why)
{
    if (why != m_lastError)
        qCWarning(lcSource).noquote() << why << "- retrying";
    m_lastError = why;
    Info i = m_info;
    i.online = false;
    i.error = why;
    setInfo(i);
    m_backoffMs = m_backoffMs ? qMin(m_backoffMs * 2, kMaxBackoffMs) : kFirstBackoffMs;
    m_reopenTimer.start(m_backoffMs);
}

void FrameSource::opened(const Info &info)
{
    m_backoffMs = 0;
    m_lastError.clear();
    m_reopenTimer.stop();
    qCInfo(lcSource).noquote() << "opened" << info.description << info.format << info.size.width()
                               << "x" << info.size.height() << "@" << info.fps << "fps";
    Info i = info;
    i.online = true;
    i.error.clear();
    setInfo(i);
}

void FrameSource::stopReopening()
{
    m_reopenTimer.stop();
}

void FrameSource::markOffline()
{
    Info i = m_info;
    i.online = false;
    setInfo(i);
}

void FrameSource::setInfo(const Info &info)
{
    const bool changed = info.online != m_info.online || info.size != m_info.size
        || qAbs(info.fps - m_info.fps) > 0.01 || info.description != m_info.description
        || info.format != m_info.format || info.error != m_info.error;
    m_info = info;
    if (changed)
        emit infoChanged(m_info);
}

void FrameSource::emitFrame(RawFrame frame)
{
    frame.sequence = ++m_sequence;
    if (frame.captureTimeUs == 0)
        frame.captureTimeUs = wallClockUs();
    emit frameCaptured(frame);
}

I420Planes i420Planes(QImage &image, int width, int height)
{
    Q_UNUSED(width);
    I420Planes p;
    const int bpl = int(image.bytesPerLine()); // a multiple of 4, so bpl / 2 >= width / 2
    p.plane[0] = image.bits();
    p.plane[1] = p.plane[0] + qsizetype(bpl) * height;
    p.plane[2] = p.plane[1] + qsizetype(bpl / 2) * ((height + 1) / 2);
    p.stride[0] = bpl;
    p.stride[1] = p.stride[2] = bpl / 2;
    return p;
}
