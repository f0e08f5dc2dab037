#pragma once

#include <QtGlobal>

// The program's two clocks, in microseconds; one definition for every stage.

// Since the Unix epoch (CLOCK_REALTIME): the unit of every capture timestamp (X-Timestamp),
// which viewers compare with their own clock.
qint64 wallClockUs();

// Since an arbitrary point (CLOCK_MONOTONIC): for intervals and deadlines, never shifted by a
// clock change. The same clock V4L2 drivers stamp buffers with (V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC).
qint64 monotonicUs();
