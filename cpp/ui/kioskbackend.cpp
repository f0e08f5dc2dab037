#include "kioskbackend.h"

#include "pipeline/pipeline.h"

namespace {
KioskBackend *g_instance = nullptr;
}

KioskBackend::KioskBackend(Pipeline *pipeline, bool kioskMode)
    : m_pipeline(pipeline)
    , m_kioskMode(kioskMode)
{
    // Queued: frames are encoded on the encoder's thread; the preview only needs to learn that
    // a newer one exists, and the provider fetches the newest when QML asks.
    connect(pipeline, &Pipeline::frameEncoded, this, [this](const Frame &frame) {
        m_frameSequence = frame.sequence();
        emit frameSequenceChanged();
    }, Qt::QueuedConnection);
    connect(pipeline, &Pipeline::sourceInfoChanged, this, [this](const FrameSource::Info &info) {
        m_source = info;
        emit sourceChanged();
    }, Qt::QueuedConnection);
}

void KioskBackend::setInstance(Pipeline *pipeline, bool kioskMode)
{
    delete g_instance;
    g_instance = new KioskBackend(pipeline, kioskMode);
}

KioskBackend *KioskBackend::create(QQmlEngine *, QJSEngine *engine)
{
    Q_ASSERT(g_instance);
    engine->setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

StreamServer *KioskBackend::server() const
{
    return m_pipeline->server();
}
