#pragma once

#include "capture/rawframe.h"
#include "frame.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

class JpegEncoder;
class QThread;

// The encoders of the output profiles other than the full size (issue 18): smaller sizes or
// other qualities of one source's stream. A fixed set of workers (--max-profiles minus the full
// size's), each a JpegEncoder on a thread of its own with its own one-slot, latest-wins mailbox:
// a slow profile lowers only its own rate, never the full size's or another profile's. A worker
// is given to a profile when someone starts watching it and taken back when the last viewer
// goes; only the workers given out get frames, so a profile nobody watches costs nothing.
// Per source: several cameras (issue 19) would each have their own.
class ProfileEncoders : public QObject
{
    Q_OBJECT
public:
    explicit ProfileEncoders(int workers, QObject *parent = nullptr);
    ~ProfileEncoders() override;

    // Any thread (the ProfileSet's listener): what profile `id` is, before it is first needed;
    // a negative width forgets it.
    void define(int id, int width, int quality);
    // Any thread (the FrameDemand's listener): someone watches profile `id` now, or nobody.
    void setNeeded(int id, bool needed);
    // The capture thread: the frame, for every profile watched now.
    void submit(const RawFrame &frame);
    void setOverlay(const QString &format);
    void setDropSameFrames(int maxDropped);
    // Profiles being made now.
    int busy() const { return m_busy.load(); }

signals:
    // On the worker's thread: a frame made for profile frame.profile().
    void frameEncoded(const Frame &frame);

private:
    struct Definition
    {
        int width = 0;
        int quality = 0;
    };
    struct Worker
    {
        QThread *thread = nullptr;
        JpegEncoder *encoder = nullptr;
        int profile = 0; // 0: free
    };

    mutable QMutex m_mutex; // guards the definitions and the workers' profiles
    QHash<int, Definition> m_definitions;
    std::vector<Worker> m_workers;
    std::atomic<int> m_busy{0}; // read without the lock on every frame
};
