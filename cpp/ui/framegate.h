#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class PreviewStage;

// Holds the screen's periodic updates (the server's figures, four a second: the graphs, the
// viewer list, the camera tiles' figures) until the next camera picture arrives (of any camera
// on screen), so that they are drawn in the frame that
// picture costs anyway instead of in frames of their own: a window showing a 30 fps camera then
// renders 30 frames a second, not 30 plus the samples. A screen where no picture comes (privacy
// placeholder, camera offline, picture hidden) gets them after kMaxDelayMs at the latest, so
// the updates alone cost it at most 1000 / kMaxDelayMs frames a second.
// It listens to the stage's pictureReady through a queued connection made before any
// LivePicture's: both slots run in the same pass of the GUI thread's event loop, before the
// frame the picture asks for is synchronised.
class FrameGate : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxDelayMs = 500; // a still screen: two frames a second

    explicit FrameGate(QObject *parent = nullptr);

    // The pictures to wait for (every camera's: stages nobody shows send none); none: every
    // update waits for kMaxDelayMs.
    void setStages(const QList<PreviewStage *> &stages);

    // Runs `update` on this object's thread with the next picture, or kMaxDelayMs after the
    // oldest update waiting, whichever comes first; updates run in the order they were posted.
    void post(std::function<void()> update);
    // Runs every update waiting, now.
    void flush();

private:
    QList<QPointer<PreviewStage>> m_stages;
    QList<QMetaObject::Connection> m_connections;
    QList<std::function<void()>> m_waiting;
    QTimer m_timer;
};
