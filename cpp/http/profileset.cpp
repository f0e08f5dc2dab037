#include "profileset.h"

#include "encode/jpegencoder.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace {
// Distinct (width, quality) pairs remembered at once; more (a source changing size often) drop
// the oldest one nobody holds.
constexpr int kMaxEntries = 64;

// A whole number from 1 to max, digits only ("640", not "+640", "6.4e2" or "640px").
std::optional<int> wholeNumber(const QByteArray &text, int max)
{
    if (text.isEmpty() || text.size() > 6)
        return std::nullopt;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    const int value = text.toInt();
    if (value < 1 || value > max)
        return std::nullopt;
    return value;
}
} // namespace

std::optional<ProfileRequest> ProfileRequest::parse(const HttpRequest &request, QByteArray *error)
{
    ProfileRequest wanted;
    const auto side = [&](const char *name, int *out) {
        const auto value = request.queryValue(name);
        if (!value)
            return true;
        const auto number = wholeNumber(*value, kMaxSide);
        if (!number) {
            *error = QByteArray(name) + " must be a whole number of pixels from 1 to "
                + QByteArray::number(kMaxSide);
            return false;
        }
        *out = *number;
        return true;
    };
    if (!side("width", &wanted.width) || !side("height", &wanted.height))
        return std::nullopt;
    if (const auto value = request.queryValue("quality")) {
        const auto number = wholeNumber(*value, 100);
        if (!number) {
            *error = "quality must be a whole number from 1 to 100";
            return std::nullopt;
        }
        wanted.quality = *number;
    }
    return wanted;
}

QByteArray ProfileSet::sizeText(QSize size)
{
    return QByteArray::number(size.width()) + 'x' + QByteArray::number(size.height());
}

ProfileSet::Ticket::Ticket(Ticket &&other) noexcept
    : m_set(std::exchange(other.m_set, nullptr))
    , m_choice(other.m_choice)
{ }

ProfileSet::Ticket &ProfileSet::Ticket::operator=(Ticket &&other) noexcept
{
    if (this != &other) {
        reset();
        m_set = std::exchange(other.m_set, nullptr);
        m_choice = other.m_choice;
    }
    return *this;
}

void ProfileSet::Ticket::reset()
{
    if (ProfileSet *set = std::exchange(m_set, nullptr))
        set->release(m_choice.id);
}

void ProfileSet::setSettings(const Settings &settings)
{
    QMutexLocker lock(&m_mutex);
    m_settings = settings;
    m_settings.maxLive = qMax(1, settings.maxLive);
}

ProfileSet::Settings ProfileSet::settings() const
{
    QMutexLocker lock(&m_mutex);
    return m_settings;
}

void ProfileSet::setDefinedListener(Defined listener)
{
    QMutexLocker lock(&m_mutex);
    m_defined = std::move(listener);
    if (!m_defined)
        return;
    for (const Entry &entry : std::as_const(m_entries))
        m_defined(entry.id, entry.width, entry.quality);
}

void ProfileSet::setFullSize(QSize size)
{
    QMutexLocker lock(&m_mutex);
    m_fullSize = size;
}

void ProfileSet::setFullQuality(int quality, bool passThrough)
{
    QMutexLocker lock(&m_mutex);
    m_quality = quality;
    m_passThrough = passThrough;
}

ProfileSet::Choice ProfileSet::fullChoice() const
{
    return Choice{0, m_fullSize, m_passThrough ? -1 : m_quality};
}

ProfileSet::Choice ProfileSet::fullSize() const
{
    QMutexLocker lock(&m_mutex);
    return fullChoice();
}

ProfileSet::Choice ProfileSet::choiceOf(const Entry &entry) const
{
    return Choice{entry.id, JpegEncoder::profileSize(m_fullSize, entry.width), entry.quality};
}

int ProfileSet::roundedWidth(const ProfileRequest &request) const
{
    const int full = m_fullSize.width();
    int wanted = request.width > 0 ? request.width : full;
    if (request.height > 0) // fits the box: the aspect is kept
        wanted = std::min(wanted, int(qint64(request.height) * full / m_fullSize.height()));
    int best = full;
    for (const int allowed : m_settings.widths) {
        const int width = allowed <= 0 ? full : std::min(allowed, full);
        const int distance = std::abs(width - wanted), bestDistance = std::abs(best - wanted);
        // Ties go to the larger picture.
        if (distance < bestDistance || (distance == bestDistance && width > best))
            best = width;
    }
    return best;
}

int ProfileSet::roundedQuality(int quality) const
{
    if (quality == 0 || quality == m_quality)
        return m_quality;
    return std::clamp((quality + 5) / 10 * 10, 10, 100);
}

ProfileSet::Ticket ProfileSet::acquire(const ProfileRequest &request)
{
    QMutexLocker lock(&m_mutex);
    Ticket ticket;
    ticket.m_set = this;
    ticket.m_choice = fullChoice();
    if (m_fullSize.isEmpty())
        return ticket; // nothing to scale yet: the full size
    const int width = roundedWidth(request);
    const int quality = roundedQuality(request.quality);
    // The full size at the stream's quality, or as the camera sends it when nothing else is
    // asked for.
    const bool sameQuality = m_passThrough ? request.quality == 0 : quality == m_quality;
    if (width == m_fullSize.width() && sameQuality)
        return ticket;
    auto entry = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry &e) {
        return e.width == width && e.quality == quality;
    });
    const int live = int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                                       [](const Entry &e) { return e.tickets > 0; }));
    const bool isLive = entry != m_entries.end() && entry->tickets > 0;
    if (!isLive && live + 1 >= m_settings.maxLive) {
        Entry *nearest = nearestLive(width, quality);
        if (!nearest)
            return ticket;
        ++nearest->tickets;
        ticket.m_choice = choiceOf(*nearest);
        return ticket;
    }
    if (entry == m_entries.end()) {
        if (m_entries.size() >= kMaxEntries) {
            const auto idle = std::find_if(m_entries.begin(), m_entries.end(),
                                           [](const Entry &e) { return e.tickets == 0; });
            if (idle == m_entries.end())
                return ticket; // cannot happen while kMaxEntries > maxLive
            if (m_defined)
                m_defined(idle->id, -1, -1);
            m_entries.erase(idle);
        }
        m_entries.append(Entry{m_nextId++, width, quality, 0, 0});
        entry = m_entries.end() - 1;
        if (m_defined)
            m_defined(entry->id, entry->width, entry->quality);
    }
    ++entry->tickets;
    ticket.m_choice = choiceOf(*entry);
    return ticket;
}

ProfileSet::Entry *ProfileSet::nearestLive(int width, int quality)
{
    Entry *best = nullptr; // the full size
    int bestWidth = std::abs(m_fullSize.width() - width);
    int bestQuality = std::abs(m_quality - quality);
    for (Entry &entry : m_entries) {
        if (entry.tickets == 0)
            continue;
        const int w = std::abs(entry.width - width), q = std::abs(entry.quality - quality);
        if (w < bestWidth || (w == bestWidth && q < bestQuality)) {
            best = &entry;
            bestWidth = w;
            bestQuality = q;
        }
    }
    return best;
}

void ProfileSet::release(int id)
{
    if (id == 0)
        return;
    QMutexLocker lock(&m_mutex);
    for (Entry &entry : m_entries) {
        if (entry.id == id) {
            --entry.tickets;
            return;
        }
    }
}

void ProfileSet::countEncode(int id)
{
    QMutexLocker lock(&m_mutex);
    if (id == 0) {
        ++m_fullEncodes;
        return;
    }
    for (Entry &entry : m_entries) {
        if (entry.id == id) {
            ++entry.encodes;
            return;
        }
    }
}

QList<QSize> ProfileSet::allowedSizes() const
{
    QMutexLocker lock(&m_mutex);
    QList<QSize> sizes{m_fullSize};
    for (const int allowed : m_settings.widths) {
        const QSize size = JpegEncoder::profileSize(m_fullSize, allowed);
        if (!sizes.contains(size))
            sizes.append(size);
    }
    return sizes;
}

QByteArray ProfileSet::describeAllowed() const
{
    QList<QByteArray> texts;
    for (const QSize &size : allowedSizes())
        texts.append(sizeText(size));
    return "this stream's sizes: " + texts.join(", ") + "; quality is rounded to a multiple of 10";
}

QList<ProfileSet::Live> ProfileSet::all() const
{
    QMutexLocker lock(&m_mutex);
    QList<Live> list{Live{fullChoice(), 0, m_fullEncodes, true}};
    for (const Entry &entry : m_entries)
        list.append(Live{choiceOf(entry), entry.tickets, entry.encodes, entry.tickets > 0});
    return list;
}
