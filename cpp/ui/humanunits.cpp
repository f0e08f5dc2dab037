#include "humanunits.h"

#include <cmath>

namespace HumanUnits {

QString bytes(double bytes)
{
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
    int unit = 0;
    while (std::abs(bytes) >= 1000 && unit < 4) {
        bytes /= 1000;
        ++unit;
    }
    // Three significant digits at most: "850 B", "12.4 kB", "125 MB".
    const int decimals = unit == 0 || std::abs(bytes) >= 100 ? 0 : std::abs(bytes) >= 10 ? 1 : 2;
    QString number = QString::number(bytes, 'f', decimals);
    // "1 kB", not "1.00 kB": round axis values read better.
    if (number.contains(QLatin1Char('.'))) {
        while (number.endsWith(QLatin1Char('0')))
            number.chop(1);
        if (number.endsWith(QLatin1Char('.')))
            number.chop(1);
    }
    return number + QLatin1Char(' ') + QLatin1String(units[unit]);
}

QString rate(double bytesPerSecond)
{
    return bytes(bytesPerSecond) + QStringLiteral("/s");
}

QString duration(double seconds)
{
    const qint64 s = qint64(std::max(0.0, seconds));
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
}

double niceCeiling(double value, double floor)
{
    value = std::max(value, floor);
    if (!(value > 0) || !std::isfinite(value))
        return floor;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value * (1 - 1e-12))
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace HumanUnits
