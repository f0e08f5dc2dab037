#pragma once

#include <QString>

// Figures as people read them on the kiosk: "850 B/s", "12.4 kB/s", "3.1 MB/s", "1 min 05 s".
// Decimal units (kB = 1000 B), as network rates are usually quoted.
namespace HumanUnits {
QString bytes(double bytes);
QString rate(double bytesPerSecond);
QString duration(double seconds);
// The smallest 1, 2 or 5 × 10^n that is at least `value` (and at least `floor`): a graph's top.
double niceCeiling(double value, double floor = 1);
} // namespace HumanUnits
