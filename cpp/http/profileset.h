#pragma once

#include "httprequest.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QSize>

#include <functional>
#include <optional>

// What a viewer asked for with ?width=, ?height= and ?quality= (0: not given).
struct ProfileRequest
{
    int width = 0;
    int height = 0;
    int quality = 0;

    static constexpr int kMaxSide = 16384;
    // Parses the query of /stream or /snapshot; nothing given is the full size. On a bad value
    // returns nothing and says why in *error.
    static std::optional<ProfileRequest> parse(const HttpRequest &request, QByteArray *error);
};

// The output profiles of one source's stream (issue 18): which sizes and qualities its viewers
// may get, and which of them are live now. Owned per source, beside its FrameDemand (the
// StreamServer's), so that several cameras (issue 19) each have their own.
//
// Profile 0 is the full size at the stream's own quality: the camera's JPEGs passed through or
// the main encoder's. Any other (width, quality) gets an id of its own the first time it is
// asked for (ids are never reused for another size or quality), and is live while a viewer or a
// waiting /snapshot holds a Ticket for it. A request is rounded to the nearest allowed width
// (never above the source's) and quality (a multiple of 10, or the stream's own); when as many
// profiles are live as allowed (the full size counts as one), it gets the nearest live one
// instead, so at most maxLive encoders ever run. Thread-safe.
class ProfileSet
{
public:
    struct Settings
    {
        // Widths allowed besides the full size; 0 in the list stands for "full".
        QList<int> widths = {0, 640, 320};
        int maxLive = 4; // profiles encoded at once, the full size included
    };

    // What a viewer gets.
    struct Choice
    {
        int id = 0;
        QSize size; // empty while the source's size is unknown
        int quality = -1; // -1: the camera's own JPEGs (pass-through)
        bool isFullSize() const { return id == 0; }
        QByteArray sizeText() const { return ProfileSet::sizeText(size); }
    };

    // A viewer's claim on a profile: keeps it live (and counted) until destroyed. Move only.
    class Ticket
    {
    public:
        Ticket() = default;
        ~Ticket() { reset(); }
        Ticket(Ticket &&other) noexcept;
        Ticket &operator=(Ticket &&other) noexcept;
        Ticket(const Ticket &) = delete;
        Ticket &operator=(const Ticket &) = delete;
        const Choice &choice() const { return m_choice; }
        int id() const { return m_choice.id; }
        void reset();

    private:
        friend class ProfileSet;
        ProfileSet *m_set = nullptr;
        Choice m_choice;
    };

    // A profile as /status and /metrics show it.
    struct Live
    {
        Choice choice;
        int tickets = 0; // viewers and waiting snapshots
        quint64 encodes = 0; // frames published for it since it was first asked for
        bool live = true; // someone holds it (the full size always is)
    };

    // Called under the set's lock the first time an id is given out, before anyone holds it:
    // the profile's width and quality; and with width and quality -1 when the set forgets an id
    // nobody holds (more distinct profiles asked for than it remembers). Must be quick and must
    // not call back.
    using Defined = std::function<void(int id, int width, int quality)>;

    ProfileSet() = default;
    ProfileSet(const ProfileSet &) = delete;
    ProfileSet &operator=(const ProfileSet &) = delete;

    // "640x360", as headers, /status and /metrics name a profile.
    static QByteArray sizeText(QSize size);

    void setSettings(const Settings &settings);
    Settings settings() const;
    void setDefinedListener(Defined listener);
    // The full-size output: its size (the source's, after rotation and crop) and its quality
    // (-1: the camera's JPEGs passed through; `quality` is then what profiles default to).
    void setFullSize(QSize size);
    void setFullQuality(int quality, bool passThrough);

    Ticket acquire(const ProfileRequest &request);
    // The full size, which needs no ticket: what a request without a query gets.
    Choice fullSize() const;
    // A frame was published for profile `id`.
    void countEncode(int id);
    // The sizes a request can get now, the full size first.
    QList<QSize> allowedSizes() const;
    // For a 400: the widths one may ask for.
    QByteArray describeAllowed() const;
    // The full size, then every profile asked for so far (live or not: /metrics' counters stay).
    QList<Live> all() const;

private:
    struct Entry
    {
        int id = 0;
        int width = 0; // in pixels; the full width for a full-size entry at another quality
        int quality = 0;
        int tickets = 0;
        quint64 encodes = 0;
    };
    void release(int id);
    Choice choiceOf(const Entry &entry) const; // m_mutex held
    Choice fullChoice() const; // m_mutex held
    int roundedWidth(const ProfileRequest &request) const; // m_mutex held
    int roundedQuality(int quality) const; // m_mutex held
    Entry *nearestLive(int width, int quality); // m_mutex held; null: the full size

    mutable QMutex m_mutex;
    Settings m_settings;
    QSize m_fullSize;
    int m_quality = 80;
    bool m_passThrough = false;
    quint64 m_fullEncodes = 0;
    QList<Entry> m_entries; // never shrinks below the live ones; bounded (kMaxEntries)
    int m_nextId = 1;
    Defined m_defined;
};
