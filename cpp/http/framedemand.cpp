#include "framedemand.h"

#include <utility>

FrameDemand::Hold::Hold(FrameDemand *demand, int profile)
    : m_demand(demand)
    , m_profile(profile)
{ }

FrameDemand::Hold::Hold(Hold &&other) noexcept
    : m_demand(std::exchange(other.m_demand, nullptr))
    , m_profile(other.m_profile)
{ }

FrameDemand::Hold &FrameDemand::Hold::operator=(Hold &&other) noexcept
{
    if (this != &other) {
        reset();
        m_demand = std::exchange(other.m_demand, nullptr);
        m_profile = other.m_profile;
    }
    return *this;
}

void FrameDemand::Hold::reset()
{
    if (FrameDemand *demand = std::exchange(m_demand, nullptr))
        demand->change(m_profile, -1);
}

FrameDemand::Hold FrameDemand::hold(int profile)
{
    change(profile, +1);
    return Hold(this, profile);
}

int FrameDemand::count(int profile) const
{
    QMutexLocker lock(&m_mutex);
    return m_counts.value(profile);
}

void FrameDemand::setListener(Listener listener)
{
    QMutexLocker lock(&m_mutex);
    m_listener = std::move(listener);
    if (!m_listener)
        return;
    m_listener(kFullSize, m_counts.value(kFullSize) > 0);
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        if (it.key() != kFullSize)
            m_listener(it.key(), it.value() > 0);
    }
}

bool FrameDemand::hasListener() const
{
    QMutexLocker lock(&m_mutex);
    return bool(m_listener);
}

void FrameDemand::change(int profile, int delta)
{
    // The listener is called under the lock, so that its calls come in the order of the changes
    // (two threads taking and dropping holds at once cannot leave it with a stale answer).
    QMutexLocker lock(&m_mutex);
    int &count = m_counts[profile];
    const int before = count;
    count += delta;
    Q_ASSERT(count >= 0);
    if (m_listener && (before == 0) != (count == 0))
        m_listener(profile, count > 0);
}
