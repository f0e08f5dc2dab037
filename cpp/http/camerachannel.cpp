#include "camerachannel.h"

#include "streamserver.h"

#include <QLoggingCategory>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace {
constexpr int kControlsTimeoutMs = 5000;

QString describe(const ControlValues &values)
{
    QStringList parts;
    for (const auto &[name, value] : values)
        parts << QStringLiteral("%1=%2").arg(name).arg(value);
    return parts.join(QLatin1Char(' '));
}
} // namespace

CameraChannel::CameraChannel(StreamServer *server, int id, const QString &name)
    : m_server(server)
    , m_feed(std::make_shared<CameraFeed>(id))
    , m_name(name)
    , m_aggregator(id)
{ }

CameraChannel::~CameraChannel() = default;

void CameraChannel::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    qCInfo(lcHttp).noquote() << "streaming of camera" << m_name << "switched"
                             << (running ? "on" : "off");
    m_server->refreshStatus(); // its streams end or its /stream answers again at once
    emit runningChanged();
}

void CameraChannel::publishFrame(const Frame &frame)
{
    if (frame.profile() == 0) {
        ++m_framesPublished;
        // The size viewers get at full size (after rotation and crop): what profiles scale.
        if (frame.size() != m_fullSize) {
            m_fullSize = frame.size();
            m_feed->profiles.setFullSize(frame.size());
        }
    }
    m_feed->profiles.countEncode(frame.profile());
    StreamFrame part = StreamFrame::from(frame, m_server->m_zeroCopy.load());
    part.camera = id();
    m_server->m_network.offer(part);
}

void CameraChannel::setSourceInfo(const FrameSource::Info &info)
{
    // /status says "online" with the first frame after an outage, not up to a refresh later.
    const bool onlineChanged = m_aggregator.setSourceInfo(info);
    // Until the first frame says what viewers get, profiles are sized from what was asked for.
    if (m_feed->profiles.fullSize().size.isEmpty() && !info.size.isEmpty())
        m_feed->profiles.setFullSize(info.size);
    if (onlineChanged && m_server->isListening())
        m_server->refreshStatus();
}

void CameraChannel::setPrivacy(bool on)
{
    m_aggregator.setPrivacy(on);
}

void CameraChannel::setControls(const CameraControls &controls)
{
    m_controls = std::make_shared<const CameraControls>(controls);
    m_server->publishRoutes();
}

ServerStatus CameraChannel::buildStatus(bool streaming)
{
    m_aggregator.setProfiles(m_feed->profiles.allowedSizes(), m_feed->profiles.settings().maxLive,
                             m_feed->profiles.all());
    ServerStatus status = m_aggregator.build(streaming, m_framesPublished.load());
    status.camera = m_name;
    status.cameraStreaming = m_running;
    return status;
}

void CameraChannel::onControlsRequested(quint64 requestId, const ControlValues &values,
                                        const QString &who)
{
    m_pendingControls.insert(requestId, who + QLatin1String(" set ") + describe(values));
    QTimer::singleShot(kControlsTimeoutMs, this, [this, requestId] {
        if (!m_pendingControls.contains(requestId))
            return;
        qCWarning(lcHttp).noquote()
            << "controls:" << m_pendingControls.take(requestId) << "- the source did not answer";
        m_server->m_network.answerControls(requestId, m_controls ? *m_controls : CameraControls(),
                                           QStringLiteral("the source did not answer within 5 s"));
    });
    emit controlsRequested(requestId, values, who);
}

void CameraChannel::answerControls(quint64 requestId, const CameraControls &controls,
                                   const QString &error)
{
    if (!m_pendingControls.contains(requestId))
        return;
    const QString what = m_pendingControls.take(requestId);
    if (error.isEmpty())
        qCInfo(lcHttp).noquote() << "controls:" << what;
    else
        qCWarning(lcHttp).noquote() << "controls:" << what << "-" << error;
    m_server->m_network.answerControls(requestId, controls, error);
}
