#pragma once

#include <QHash>
#include <QMutex>

#include <functional>

// Who needs a JPEG right now: viewers of /stream (plain and TLS; an HLS packager is one of
// them), /snapshot requests waiting for a fresh frame, and whatever else holds a FrameDemand::Hold
// (the pipeline while it refreshes its newest frame, the kiosk's Snapshot button while it
// waits for a fresh frame). The encoder works only while someone holds a demand.
//
// Holds are taken and dropped on the network threads; the listener (the pipeline, which tells
// the encoder) hears every change between "nobody" and "somebody" on the thread that made it,
// at once: no event loop, and so no busy GUI thread, sits between a viewer arriving and the
// encoder waking.
//
// Counted per output profile so that, with several sizes per stream (issue 18), each one can be
// encoded only while someone watches it; today there is one, kFullSize.
class FrameDemand
{
public:
    static constexpr int kFullSize = 0;
    // Called with the demand's lock held: it must be quick and must not take or drop a hold.
    using Listener = std::function<void(int profile, bool needed)>;

    // A hold on the demand for one profile, released when destroyed (or reset). Move only.
    class Hold
    {
    public:
        Hold() = default;
        ~Hold() { reset(); }
        Hold(Hold &&other) noexcept;
        Hold &operator=(Hold &&other) noexcept;
        Hold(const Hold &) = delete;
        Hold &operator=(const Hold &) = delete;
        bool isHeld() const { return m_demand != nullptr; }
        void reset();

    private:
        friend class FrameDemand;
        Hold(FrameDemand *demand, int profile);
        FrameDemand *m_demand = nullptr;
        int m_profile = kFullSize;
    };

    FrameDemand() = default;
    FrameDemand(const FrameDemand &) = delete;
    FrameDemand &operator=(const FrameDemand &) = delete;

    // Thread-safe. The demand must outlive its holds.
    Hold hold(int profile = kFullSize);
    int count(int profile = kFullSize) const;
    // Replaces the listener and tells it at once whether each profile it may not know about is
    // needed now (the full size always); an empty one stops the calls.
    void setListener(Listener listener);
    // Whether something is told about the demand, i.e. there is an encoder to wake: /snapshot
    // then waits for a fresh frame rather than answer with the newest one.
    bool hasListener() const;

private:
    void change(int profile, int delta);

    mutable QMutex m_mutex;
    QHash<int, int> m_counts;
    Listener m_listener;
};
