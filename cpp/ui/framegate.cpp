#include "framegate.h"

#include "preview/previewstage.h"

#include <utility>

FrameGate::FrameGate(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kMaxDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &FrameGate::flush);
}

void FrameGate::setStage(PreviewStage *stage)
{
    if (stage == m_stage)
        return;
    disconnect(m_connection);
    m_stage = stage;
    // Queued: emitted on the preview thread.
    if (stage)
        m_connection = connect(stage, &PreviewStage::pictureReady, this, &FrameGate::flush,
                               Qt::QueuedConnection);
}

void FrameGate::post(std::function<void()> update)
{
    m_waiting.append(std::move(update));
    // From the oldest waiting: a steady stream of updates must not keep pushing it back.
    if (!m_timer.isActive())
        m_timer.start();
}

void FrameGate::flush()
{
    m_timer.stop();
    if (m_waiting.isEmpty())
        return;
    // An update may post another: that one waits for the next picture.
    const QList<std::function<void()>> updates = std::exchange(m_waiting, {});
    for (const auto &update : updates)
        update();
}
