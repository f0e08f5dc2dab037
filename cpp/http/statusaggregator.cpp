#include "statusaggregator.h"

#include <QDateTime>

StatusAggregator::StatusAggregator(int camera)
    : m_camera(camera)
    , m_startedAtMs(QDateTime::currentMSecsSinceEpoch())
{
    m_clock.start();
}

void StatusAggregator::resetPools(int count)
{
    m_poolStats = QList<PoolStats>(count);
}

void StatusAggregator::setPoolStats(const PoolStats &stats)
{
    if (stats.pool >= 0 && stats.pool < m_poolStats.size())
        m_poolStats[stats.pool] = stats;
}

void StatusAggregator::setEncoderStats(const EncoderStats &stats)
{
    QMutexLocker lock(&m_encoderMutex);
    m_encoder = stats;
}

ServerStatus StatusAggregator::build(bool streaming, quint64 framesPublished)
{
    ServerStatus status;
    status.streaming = streaming;
    status.startedAtMs = m_startedAtMs;
    status.privacy = m_privacy;
    status.screen = m_screen;
    status.controlsLocked = m_controlsLocked;
    status.framesPublished = framesPublished;
    addSource(&status);
    addPools(&status);
    addEncoder(&status);
    addRates(&status);
    addProfiles(&status);
    return status;
}

void StatusAggregator::addSource(ServerStatus *status) const
{
    const FrameSource::Info &info = m_sourceInfo;
    status->source = {info.description,
                      info.online,
                      info.size.width(),
                      info.size.height(),
                      info.fps,
                      info.format,
                      info.error,
                      info.requestedSize.width(),
                      info.requestedSize.height(),
                      info.requestedFps,
                      info.capturedSize.width(),
                      info.capturedSize.height(),
                      info.transform.rotate,
                      FrameTransform::flipName(info.transform.flip),
                      FrameTransform::cropText(info.transform.crop),
                      FrameTransform::cropText(info.cropApplied)};
}

void StatusAggregator::addPools(ServerStatus *status) const
{
    // Connections and what the network threads skipped are the server's; what was sent, and
    // to whom, this camera's.
    for (const PoolStats &pool : m_poolStats) {
        const CameraTotals sent = pool.byCamera.value(m_camera);
        status->bytesTotal += sent.bytesSent;
        status->framesSent += sent.framesSent;
        status->framesDropped += sent.framesDropped;
        status->connectionsTotal += pool.connectionsTotal;
        status->framesSkipped += pool.framesSkippedTotal;
        status->connections += int(pool.clients.size());
        for (const ClientStats &client : pool.clients) {
            if (client.streaming && client.camera == m_camera)
                status->clients.append(client);
        }
    }
}

void StatusAggregator::addEncoder(ServerStatus *status) const
{
    QMutexLocker lock(&m_encoderMutex);
    if (!m_encoder)
        return;
    const JpegEncoder::Counters &counters = m_encoder->counters;
    status->framesCaptured = counters.submitted;
    status->framesEncoded = counters.encoded;
    status->framesReplaced = counters.replaced;
    status->framesIdle = counters.idle;
    status->encoderIdle = counters.idleNow;
    status->encodeMs = counters.lastEncodeUs / 1000.0;
    status->quality = m_encoder->quality;
    status->framesPassedThrough = counters.passedThrough;
    status->framesCorrupt = counters.corrupt;
    status->framesSameDropped = counters.sameDropped;
    const bool jpegSource = m_sourceInfo.format == QLatin1String("MJPEG");
    status->encoder = jpegSource && !m_encoder->reencodeJpeg ? QStringLiteral("passthrough")
                                                             : QStringLiteral("cpu");
}

void StatusAggregator::addProfiles(ServerStatus *status)
{
    for (const QSize &size : std::as_const(m_profilesAllowed))
        status->profilesAllowed.append({size.width(), size.height()});
    status->maxProfiles = m_maxProfiles;
    const qint64 now = m_clock.elapsed();
    QHash<int, ProfileRate> rates;
    for (const ProfileSet::Live &live : std::as_const(m_liveProfiles)) {
        ServerStatus::Profile p;
        p.id = live.choice.id;
        p.width = live.choice.size.width();
        p.height = live.choice.size.height();
        p.quality = live.choice.quality;
        p.encodes = live.encodes;
        p.live = live.live;
        for (const ClientStats &client : std::as_const(status->clients))
            p.viewers += client.profileId == p.id ? 1 : 0;
        // Smoothed over about a second, as the viewers' own rates are (ClientStats).
        ProfileRate rate = m_profileRates.value(p.id, ProfileRate{now, live.encodes, 0});
        if (now > rate.ms && live.encodes >= rate.encodes) {
            const double instant = (live.encodes - rate.encodes) * 1000.0 / (now - rate.ms);
            rate.fps = rate.fps == 0 ? instant : 0.6 * rate.fps + 0.4 * instant;
        }
        rate.ms = now;
        rate.encodes = live.encodes;
        rates.insert(p.id, rate);
        p.fps = rate.fps;
        status->profiles.append(p);
    }
    m_profileRates = rates;
}

void StatusAggregator::addRates(ServerStatus *status)
{
    const qint64 now = m_clock.elapsed();
    m_samples.append({now, status->bytesTotal, status->framesPublished});
    while (m_samples.size() > 2 && now - m_samples[1].ms >= 1000)
        m_samples.removeFirst();
    const Sample &oldest = m_samples.first();
    if (now > oldest.ms) {
        const double seconds = (now - oldest.ms) / 1000.0;
        status->bytesPerSecond = (status->bytesTotal - oldest.bytes) / seconds;
        status->outputFps = (status->framesPublished - oldest.frames) / seconds;
    }
}
