#include "bandwidthhistory.h"

#include "humanunits.h"

#include <algorithm>

namespace {
constexpr int kDefaultCapacity = 240; // 60 s at the server's 4 Hz figures
}

BandwidthHistory::BandwidthHistory(QObject *parent)
    : QObject(parent)
    , m_ring(kDefaultCapacity, 0.0)
{ }

void BandwidthHistory::setCapacity(int capacity)
{
    capacity = std::max(2, capacity);
    if (capacity == this->capacity())
        return;
    // Keep the newest samples that still fit.
    QList<double> ring(capacity, 0.0);
    const int kept = std::min(m_count, capacity);
    for (int i = 0; i < kept; ++i)
        ring[i] = at(m_count - kept + i);
    m_ring = ring;
    m_count = kept;
    m_head = kept % capacity;
    emit capacityChanged();
    emit changed();
}

void BandwidthHistory::setIntervalMs(int ms)
{
    if (ms <= 0 || ms == m_intervalMs)
        return;
    m_intervalMs = ms;
    emit capacityChanged();
}

void BandwidthHistory::setFloor(double floor)
{
    if (floor == m_floor)
        return;
    m_floor = floor;
    emit changed();
}

void BandwidthHistory::append(double value)
{
    m_ring[m_head] = value;
    m_head = (m_head + 1) % capacity();
    m_count = std::min(m_count + 1, capacity());
    emit changed();
}

void BandwidthHistory::clear()
{
    m_count = 0;
    m_head = 0;
    emit changed();
}

double BandwidthHistory::at(int i) const
{
    if (i < 0 || i >= m_count)
        return 0;
    const int oldest = (m_head - m_count + capacity()) % capacity();
    return m_ring[(oldest + i) % capacity()];
}

double BandwidthHistory::latest() const
{
    return m_count ? at(m_count - 1) : 0;
}

double BandwidthHistory::peak() const
{
    double peak = 0;
    for (int i = 0; i < m_count; ++i)
        peak = std::max(peak, at(i));
    return peak;
}

double BandwidthHistory::scaleMaximum() const
{
    return HumanUnits::niceCeiling(peak(), m_floor);
}
