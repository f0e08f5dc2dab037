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

void FrameGate::setStages(const QList<PreviewStage *> &stages)
{
    // Kept where already made: a stage's connection stays ahead of the LivePictures made since.
    for (qsizetype i = m_stages.size() - 1; i >= 0; --i) {
        if (!m_stages[i] || !stages.contains(m_stages[i].data())) {
            disconnect(m_connections.takeAt(i));
            m_stages.removeAt(i);
        }
    }
    for (PreviewStage *stage : stages) {
        if (!stage || m_stages.contains(stage))
            continue;
        m_stages.append(stage);
        // Queued: emitted on the preview thread.
        m_connections.append(connect(stage, &PreviewStage::pictureReady, this, &FrameGate::flush,
                                     Qt::QueuedConnection));
    }
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
