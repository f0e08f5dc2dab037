#include "clock.h"

#include <time.h>

namespace {
qint64 microseconds(clockid_t clock)
{
    // clock_gettime, not QDateTime or QElapsedTimer: milliseconds are too coarse to see a few
    // hundred microseconds of pipeline latency.
    timespec ts{};
    clock_gettime(clock, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}
} // namespace

qint64 wallClockUs()
{
    return microseconds(CLOCK_REALTIME);
}

qint64 monotonicUs()
{
    return microseconds(CLOCK_MONOTONIC);
}
