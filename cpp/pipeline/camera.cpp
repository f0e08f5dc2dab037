#include "camera.h"

#include "capture/placeholder.h"
#include "capture/sourcefactory.h"
#include "core/clock.h"

#include <QLoggingCategory>
#include <QSettings>
#include <QUrl>

#include <chrono>
#include <utility>

Q_LOGGING_CATEGORY(lcPipeline, "kiosk.pipeline")

namespace {
// "No signal" frames are sent at this low rate: enough for viewers to see the stream live.
constexpr qint64 kPlaceholderIntervalUs = 500000;
constexpr int kWatchdogIntervalMs = 250;
constexpr qint64 kMaxRestartBackoffUs = 10000000;
constexpr int kStuckThreadWaitMs = 3000;
} // namespace

Camera::Camera(CameraChannel *channel, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
{
    qRegisterMetaType<RawFrame>();
    qRegisterMetaType<Frame>();
    qRegisterMetaType<FrameSource::Info>();
    connect(this, &Camera::sourceInfoChanged, channel, &CameraChannel::setSourceInfo);
    connect(this, &Camera::privacyChanged, channel, &CameraChannel::setPrivacy);
    connect(this, &Camera::controlsChanged, channel, &CameraChannel::setControls);
    connect(this, &Camera::controlsApplied, channel, &CameraChannel::answerControls);
    connect(channel, &CameraChannel::controlsRequested, this, &Camera::applyControls);
    m_watchdog.setInterval(kWatchdogIntervalMs);
    connect(&m_watchdog, &QTimer::timeout, this, &Camera::checkSource);
}

Camera::~Camera()
{
    stop();
}

bool Camera::start(const CameraConfig &config, int maxProfiles, QString *error)
{
    stop();
    m_config = config;
    {
        QMutexLocker lock(&m_transformMutex);
        m_transform = config.transform;
    }
    m_privacy = config.privacy;
    m_channel->setPrivacy(config.privacy);
    // Named after the camera, as its capture thread is: top(1) and the benchmarks tell them apart.
    m_encodeThread.setObjectName(QStringLiteral("encode-") + config.name);

    m_encoder = new JpegEncoder(config.quality);
    m_encoder->moveToThread(&m_encodeThread);
    connect(&m_encodeThread, &QThread::finished, m_encoder, &QObject::deleteLater);
    // Direct: runs on the encoder's thread and hands the frame to the network threads without
    // a detour through this (GUI) thread.
    connect(
        m_encoder, &JpegEncoder::frameEncoded, this,
        [this](const Frame &frame) {
            FrameDemand::Hold refreshed;
            {
                QMutexLocker lock(&m_latestMutex);
                m_latest = frame;
                if (frame.sequence() > m_refreshAfter)
                    refreshed = std::move(m_refresh);
            }
            m_channel->publishFrame(frame);
            emit frameEncoded(frame);
        },
        Qt::DirectConnection);
    // Direct as well: the figures reach the server before the frame they count.
    connect(
        m_encoder, &JpegEncoder::countersChanged, this,
        [this](const JpegEncoder::Counters &counters) { pushEncoderStats(counters); },
        Qt::DirectConnection);
    // One worker per profile that may be live besides the full size.
    m_profileEncoders = std::make_unique<ProfileEncoders>(qMax(0, maxProfiles - 1));
    connect(
        m_profileEncoders.get(), &ProfileEncoders::frameEncoded, this,
        [this](const Frame &frame) { m_channel->publishFrame(frame); }, Qt::DirectConnection);
    m_channel->profiles().setDefinedListener(
        [profiles = m_profileEncoders.get()](int id, int width, int quality) {
            profiles->define(id, width, quality);
        });
    // Straight from the network thread where a viewer comes or goes to the encoder.
    m_channel->demand().setListener(
        [encoder = m_encoder, profiles = m_profileEncoders.get()](int profile, bool needed) {
            if (profile == FrameDemand::kFullSize)
                encoder->setNeeded(needed);
            else
                profiles->setNeeded(profile, needed);
        });
    refreshLatest(); // the first frame: /stream answers 503 until there is one
    applyEncoderSettings();
    pushEncoderStats(m_encoder->counters());
    m_encodeThread.start();
    QString sourceError;
    startSource(&sourceError);
    if (!sourceError.isEmpty()) {
        // A source that can never work (its plugin is not installed) is a start-up error;
        // later, from the settings panel, it is an offline source saying why.
        stop();
        if (error)
            *error = sourceError;
        return false;
    }
    m_watchdog.start();
    return true;
}

void Camera::stop()
{
    m_watchdog.stop();
    QThread *captureThread = m_captureThread;
    stopSource();
    // A source stuck in a driver call cannot be waited for; its thread then ends (and frees
    // itself) whenever the call returns, or with the process.
    if (captureThread && !captureThread->wait(kStuckThreadWaitMs))
        qCWarning(lcPipeline) << "capture thread still busy; not waiting for it";
    m_channel->demand().setListener({}); // the encoders go
    m_channel->profiles().setDefinedListener({});
    m_profileEncoders.reset();
    {
        QMutexLocker lock(&m_latestMutex);
        m_refresh.reset();
    }
    m_encodeThread.quit();
    m_encodeThread.wait();
    m_encoder = nullptr;
}

void Camera::startSource(QString *error)
{
    SourceOptions options;
    options.spec = m_config.source;
    options.size = m_config.resolution;
    options.fps = m_config.fps;
    options.preferJpeg
        = m_config.encoder != PipelineConfig::Encoder::Cpu && m_config.passThroughJpeg();
    options.timeoutMs = m_config.sourceTimeoutMs;
    options.controls = m_config.controls;
    m_source = createFrameSource(options, error);
    // A thread per source: a source whose thread is stuck in a blocking read (OpenCV on a
    // wedged device) can be abandoned and replaced without waiting for it.
    m_captureThread = new QThread;
    m_captureThread->setObjectName(QStringLiteral("capture-") + m_config.name);
    connect(m_captureThread, &QThread::finished, m_captureThread, &QObject::deleteLater);
    m_source->moveToThread(m_captureThread);
    m_captureThread->start();
    // Until the new source says otherwise it is assumed to be coming up, and gets the source
    // timeout to deliver its first frame.
    m_sourceInfo = {m_config.source, true, m_config.resolution, m_config.fps};
    m_sourceSaidOffline = false;
    m_lastLiveUs = monotonicUs();
    m_restartedUs = monotonicUs();
    m_liveAfterUs = 0;
    JpegEncoder *encoder = m_encoder;
    ProfileEncoders *profiles = m_profileEncoders.get();
    // The source's own, used on its thread only: a replaced source still finishing a frame
    // does not share it with the new one.
    auto transformer = std::make_shared<FrameTransformer>();
    connect(
        m_source, &FrameSource::frameCaptured, m_source,
        [this, encoder, profiles, transformer](const RawFrame &frame) {
            if (frame.live) {
                m_lastLiveUs = monotonicUs();
                // The first frame after an outage: online now, not at the next watchdog tick.
                if (m_wakeOnLiveFrame.load(std::memory_order_relaxed)
                    && m_wakeOnLiveFrame.exchange(false))
                    QMetaObject::invokeMethod(this, &Camera::checkSource, Qt::QueuedConnection);
            }
            RawFrame screenedFrame = screened(frame, transformer.get());
            screenedFrame.sequence = ++m_sequence;
            encoder->submit(screenedFrame);
            profiles->submit(screenedFrame);
            m_preview.submit(screenedFrame);
        },
        Qt::DirectConnection);
    connect(m_source, &FrameSource::infoChanged, this, &Camera::onSourceInfo);
    connect(m_source, &FrameSource::controlsChanged, this, &Camera::onControlsChanged);
    connect(m_source, &FrameSource::controlsApplied, this, &Camera::onControlsApplied);
    m_controls = m_source->controls(); // "no controls" until the source says more
    emit controlsChanged(m_controls);
    QMetaObject::invokeMethod(m_source, &FrameSource::start, Qt::QueuedConnection);
}

void Camera::stopSource()
{
    if (!m_source)
        return;
    // Stopped and deleted on its own thread, after a camera read in progress; never waited for
    // here, since a stalled camera must not freeze the caller.
    // No more frames or news from it, even if it is stuck and wakes up later.
    disconnect(m_source, nullptr, this, nullptr);
    disconnect(m_source, &FrameSource::frameCaptured, nullptr, nullptr);
    QMetaObject::invokeMethod(m_source, &FrameSource::stop, Qt::QueuedConnection);
    m_source->deleteLater();
    m_source = nullptr;
    m_noticeRequests.clear(); // its answers will not come
    m_captureThread->quit(); // after the deferred delete: quit() lets posted events run first
    m_captureThread = nullptr;
}

void Camera::setSource(const QString &spec, QSize resolution, double fps)
{
    m_config.source = spec;
    m_config.resolution = resolution;
    m_config.fps = fps;
    if (!m_encoder)
        return;
    stopSource();
    startSource();
    refreshLatest();
}

void Camera::setQuality(int quality)
{
    if (quality != m_config.quality)
        m_config.qualityForced = true;
    m_config.quality = quality;
    applyEncoderSettings();
}

void Camera::applyEncoderSettings()
{
    if (!m_encoder)
        return;
    m_encoder->setQuality(m_config.quality);
    m_encoder->setReencodeJpeg(!m_config.passThroughJpeg());
    // Pass-through frames are never decoded, so the overlay cannot apply to them.
    m_encoder->setOverlay(m_config.overlay);
    m_encoder->setDropSameFrames(m_config.dropSameFrames);
    m_profileEncoders->setOverlay(m_config.overlay);
    m_profileEncoders->setDropSameFrames(m_config.dropSameFrames);
    publishFullQuality();
}

void Camera::publishFullQuality()
{
    // As /status tells "passthrough": a JPEG camera whose frames are not re-encoded.
    const bool passThrough
        = m_config.passThroughJpeg() && m_sourceInfo.format == QLatin1String("MJPEG");
    m_channel->profiles().setFullQuality(m_config.quality, passThrough);
}

void Camera::pushEncoderStats(const JpegEncoder::Counters &counters)
{
    // Settings are read here, on whichever thread, as the encoder's atomics hold them.
    m_channel->setEncoderStats({counters, m_encoder->quality(), m_encoder->reencodeJpeg()});
}

void Camera::onSourceInfo(const FrameSource::Info &info)
{
    if (sender() != m_source)
        return; // a replaced source saying goodbye
    m_sourceInfo = info;
    m_sourceSaidOffline = !info.online;
    const qint64 now = monotonicUs();
    if (info.online) {
        // A source that has reopened itself is not replaced before it had time for a first
        // frame; it counts as online again when that frame comes.
        m_restartedUs = now;
    } else {
        // Frames from before it went away do not make it live again.
        m_liveAfterUs = now;
    }
    checkSource();
    publishSourceInfo();
    publishFullQuality();
}

bool Camera::sourceLive(qint64 now) const
{
    const qint64 lastLive = m_lastLiveUs.load();
    return !m_sourceSaidOffline && lastLive >= m_liveAfterUs
        && now - lastLive <= qint64(m_config.sourceTimeoutMs) * 1000;
}

void Camera::publishSourceInfo()
{
    FrameSource::Info info = m_sourceInfo;
    info.requestedSize = m_config.resolution;
    info.requestedFps = m_config.fps;
    info.capturedSize = m_sourceInfo.size;
    info.transform = transform();
    // What viewers get: as the capture thread last turned a frame of this size, or until then
    // the source's size turned (its crop not yet snapped).
    if (m_applied.captured == info.capturedSize && m_applied.captured.isValid()) {
        info.size = m_applied.output;
        info.cropApplied = m_applied.crop;
    } else {
        info.size = info.transform.rotatedSize(info.capturedSize);
        if (!info.transform.crop.isNull() && info.transform.checkFits(info.capturedSize).isEmpty())
            info.size = info.transform.crop.size();
    }
    if (!m_live && info.online) {
        info.online = false;
        // Back before the source timeout was over (a short outage): it has not been silent
        // for that long, but has not sent anything since it came back either.
        const bool silentForTimeout
            = monotonicUs() - m_lastLiveUs.load() > qint64(m_config.sourceTimeoutMs) * 1000;
        info.error = silentForTimeout
            ? QStringLiteral("no frame for %1 s").arg(m_config.sourceTimeoutMs / 1000.0)
            : QStringLiteral("reconnected; waiting for the first frame");
    }
    // Gone or back: the newest frame (a camera picture, a "no signal" one) no longer says so.
    if (std::exchange(m_publishedOnline, info.online) != info.online)
        refreshLatest();
    m_publishedInfo = info;
    emit sourceInfoChanged(info);
}

void Camera::checkSource()
{
    if (!m_encoder)
        return;
    const qint64 now = monotonicUs();
    // Armed before looking, so that a frame arriving meanwhile is either seen or wakes us.
    m_wakeOnLiveFrame = true;
    const bool live = sourceLive(now);
    if (live)
        m_wakeOnLiveFrame = false;
    if (live != m_live) {
        m_live = live;
        if (live)
            m_restartBackoffUs = 0;
        publishSourceInfo();
    }
    if (!live)
        restartIfWedged(now);
    if (!m_live && now - m_lastPlaceholderUs >= kPlaceholderIntervalUs)
        sendPlaceholder(now);
}

void Camera::restartIfWedged(qint64 now)
{
    // Silent for twice the timeout while claiming to be online: the source has not noticed,
    // most likely because its thread is blocked in the driver. Replace it, with backoff.
    const qint64 timeoutUs = qint64(m_config.sourceTimeoutMs) * 1000;
    if (m_sourceSaidOffline || now - m_lastLiveUs.load() <= 2 * timeoutUs
        || now - m_restartedUs <= qMax(m_restartBackoffUs, 2 * timeoutUs))
        return;
    qCWarning(lcPipeline).noquote() << m_config.source << "stalled; restarting the source";
    m_restartBackoffUs = qBound(timeoutUs, m_restartBackoffUs * 2, kMaxRestartBackoffUs);
    stopSource();
    startSource();
    m_lastLiveUs = now - 2 * timeoutUs; // still stalled: placeholders go on
}

void Camera::sendPlaceholder(qint64 now)
{
    // Viewers keep getting frames while the source is away, so that their stream stays open
    // and resumes by itself when the camera is back.
    m_lastPlaceholderUs = now;
    // The size viewers had (the turned picture's), so that a page's layout does not jump.
    const QSize size = m_applied.output.isValid() ? m_applied.output
        : m_sourceInfo.size.isValid()             ? m_sourceInfo.size
                                                  : m_config.resolution;
    RawFrame frame;
    frame.live = false;
    frame.captureTimeUs = wallClockUs();
    frame.image = m_privacy.load()
        ? renderPlaceholder(size, QStringLiteral("PRIVACY"),
                            QStringLiteral("the camera is hidden by the kiosk"))
        : renderPlaceholder(size, QStringLiteral("NO SIGNAL"),
                            m_sourceInfo.description + QStringLiteral(" — reconnecting"));
    frame.width = size.width();
    frame.height = size.height();
    frame.sequence = ++m_sequence;
    m_encoder->submit(frame);
    m_preview.submit(frame);
}

void Camera::setPrivacy(bool on)
{
    if (m_privacy.exchange(on) == on)
        return;
    if (QThread::currentThread() == thread())
        m_config.privacy = on; // what a saved configuration gets
    // Without it, a camera picture encoded before could stay the newest frame behind privacy.
    refreshLatest();
    emit privacyChanged(on);
}

void Camera::refreshLatest()
{
    if (!m_encoder)
        return;
    QMutexLocker lock(&m_latestMutex);
    // The capture thread may be numbering a frame it screened before a change made here (the
    // privacy switch): the one after it is the first sure to show the change.
    m_refreshAfter = m_sequence.load() + 1;
    if (!m_refresh.isHeld())
        m_refresh = m_channel->demand().hold();
}

void Camera::setTransform(const FrameTransform &transform)
{
    {
        QMutexLocker lock(&m_transformMutex);
        if (m_transform == transform)
            return;
        m_transform = transform;
    }
    if (QThread::currentThread() == thread())
        m_config.transform = transform;
    else
        QMetaObject::invokeMethod(
            this, [this, transform] { m_config.transform = transform; }, Qt::QueuedConnection);
    // The newest frame (a new viewer's first, /snapshot?cached=1, the screen) shows it soon,
    // and /status says what is asked for now.
    QMetaObject::invokeMethod(this, &Camera::refreshLatest, Qt::QueuedConnection);
    QMetaObject::invokeMethod(this, &Camera::publishSourceInfo, Qt::QueuedConnection);
}

FrameTransform Camera::transform() const
{
    QMutexLocker lock(&m_transformMutex);
    return m_transform;
}

void Camera::setApplied(const FrameTransformer::Applied &applied)
{
    if (m_applied == applied)
        return;
    m_applied = applied;
    publishSourceInfo();
}

RawFrame Camera::screened(const RawFrame &frame, FrameTransformer *transformer)
{
    const FrameTransformer::Applied before = transformer->applied();
    // Turned once here, before the encoder: every viewer, /snapshot and the screen get the
    // same picture, whatever their number.
    RawFrame turned = frame.live ? transformer->apply(frame, transform()) : frame;
    if (frame.live && !(transformer->applied() == before)) {
        QMetaObject::invokeMethod(
            this, [this, applied = transformer->applied()] { setApplied(applied); },
            Qt::QueuedConnection);
    }
    if (!m_privacy.load())
        return turned;
    const QSize size = turned.isValid() ? QSize(turned.width, turned.height) : m_config.resolution;
    const qint64 second = frame.captureTimeUs / 1000000;
    if (m_privacyImage.size() != size || second != m_privacyImageSecond) {
        m_privacyImage = renderPlaceholder(size, QStringLiteral("PRIVACY"),
                                           QStringLiteral("the camera is hidden by the kiosk"));
        m_privacyImageSecond = second;
    }
    RawFrame placeholder = turned;
    placeholder.kind = RawFrame::Kind::Image;
    placeholder.jpeg = QByteArray();
    placeholder.image = m_privacyImage;
    placeholder.width = size.width();
    placeholder.height = size.height();
    return placeholder;
}

Frame Camera::latestFrame() const
{
    QMutexLocker lock(&m_latestMutex);
    return m_latest;
}

void Camera::applyControls(quint64 requestId, const ControlValues &values, const QString &who)
{
    if (!m_source) {
        emit controlsApplied(requestId, {}, QStringLiteral("no source is running"));
        return;
    }
    if (!who.isEmpty()) {
        QStringList names;
        for (const auto &value : values)
            names << value.first;
        m_noticeRequests.insert(requestId, {who, names});
    }
    QMetaObject::invokeMethod(m_source, "applyControls", Qt::QueuedConnection,
                              Q_ARG(quint64, requestId), Q_ARG(ControlValues, values));
}

namespace {
// Saved control values live under controls/<camera>, the stable name percent-encoded (it holds
// '/', QSettings' group separator).
QString controlsGroup(const QString &camera)
{
    return QStringLiteral("controls/")
        + QString::fromLatin1(QUrl::toPercentEncoding(camera, QByteArray(" ,()")));
}
} // namespace

void Camera::onControlsChanged(const CameraControls &controls)
{
    m_controls = controls;
    emit controlsChanged(controls);
    if (!controls.available || controls.camera.isEmpty() || controls.camera == m_restoredCamera)
        return;
    m_restoredCamera = controls.camera;
    QStringList given; // --control names these: the command line and config file win
    for (const QString &assignment : std::as_const(m_config.controls))
        given << assignment.section(u'=', 0, 0).trimmed();
    // The source has applied them as it opened the camera.
    noticeControls(QStringLiteral("--control"), given, controls, {});
    QSettings settings;
    settings.beginGroup(controlsGroup(controls.camera));
    ControlValues values;
    for (const QString &name : settings.childKeys()) {
        const CameraControl *control = controls.find(name);
        qint64 value = 0;
        QString error;
        if (control && !given.contains(name)
            && Controls::parseValue(*control, settings.value(name).toString(), &value, &error))
            values.append({name, value});
    }
    if (!values.isEmpty())
        applyControls(newLocalRequest(), Controls::mastersFirst(controls, values),
                      QStringLiteral("saved values"));
}

void Camera::onControlsApplied(quint64 requestId, const CameraControls &controls,
                               const QString &error)
{
    if (controls.available && !controls.camera.isEmpty()) {
        // What is in force and not the default, for the next start; inactive values are left
        // out (their auto mode is on: setting them would be refused).
        QSettings settings;
        settings.remove(controlsGroup(controls.camera));
        settings.beginGroup(controlsGroup(controls.camera));
        for (const CameraControl &c : controls.controls) {
            if (!c.readOnly && !c.inactive && c.type != CameraControl::Type::Button
                && c.value != c.defaultValue)
                settings.setValue(c.name, c.value);
        }
    }
    emit controlsApplied(requestId, controls, error);
    const auto asked = m_noticeRequests.constFind(requestId);
    if (asked != m_noticeRequests.constEnd()) {
        const auto [who, names] = *asked;
        m_noticeRequests.erase(asked);
        noticeControls(who, names, controls, error);
    }
}

void Camera::noticeControls(const QString &who, const QStringList &names,
                            const CameraControls &controls, const QString &error)
{
    QList<CameraControl> changed;
    for (const QString &name : names) {
        if (const CameraControl *control = controls.find(name))
            changed.append(*control);
    }
    if (!changed.isEmpty() || !error.isEmpty())
        emit controlsNoticed(who, changed, error);
}
