#include "framesource.h"

#include <time.h>

qint64 wallClockUs()
{
    // CLOCK_REALTIME, not QDateTime: viewers compare X-Timestamp with their own clock, and
    // milliseconds are too coarse to see a few hundred microseconds of pipeline latency.
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

void FrameSource::setInfo(const Info &info)
{
    const bool changed = info.online != m_info.online || info.size != m_info.size
                         || qAbs(info.fps - m_info.fps) > 0.01
                         || info.description != m_info.description;
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
