#include "serverstatus.h"

#include "profileset.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace {
QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

double rounded(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}
} // namespace

void ClientStats::updateFps(double seconds)
{
    const quint64 frames = framesSent - framesAtLastSample;
    framesAtLastSample = framesSent;
    if (seconds <= 0)
        return;
    const double instant = frames / seconds;
    fps = fps == 0 ? instant : 0.6 * fps + 0.4 * instant;
}

QByteArray ServerStatus::Profile::sizeText() const
{
    return ProfileSet::sizeText(QSize(width, height));
}

namespace {
QJsonObject profilesJson(const ServerStatus &s)
{
    QJsonArray allowed;
    for (const auto &[width, height] : s.profilesAllowed)
        allowed.append(QJsonObject{{"width", width}, {"height", height}});
    QJsonArray live;
    for (const ServerStatus::Profile &p : s.profiles) {
        if (!p.live)
            continue;
        live.append(QJsonObject{
            {"width", p.width},
            {"height", p.height},
            {"quality", p.quality > 0 ? QJsonValue(p.quality) : QJsonValue()},
            {"passthrough", p.quality <= 0},
            {"viewers", p.viewers},
            {"fps", rounded(p.fps, 2)},
            {"encodes", double(p.encodes)},
        });
    }
    return QJsonObject{{"allowed", allowed}, {"max_live", s.maxProfiles}, {"live", live}};
}

// Every camera a line, with the paths of its stream and snapshot.
QJsonArray camerasJson(const QList<ServerStatus::CameraSummary> &cameras)
{
    QJsonArray cameraArray;
    for (const ServerStatus::CameraSummary &c : cameras) {
        const QByteArray base = "/camera/" + QUrl::toPercentEncoding(c.name) + '/';
        cameraArray.append(QJsonObject{
            {"name", c.name},
            {"online", c.online},
            {"privacy", c.privacy},
            {"streaming", c.streaming},
            {"viewers", c.viewers},
            {"fps", rounded(c.fps, 2)},
            {"width", c.width},
            {"height", c.height},
            {"error", c.error},
            {"stream", QString::fromLatin1(base + "stream")},
            {"snapshot", QString::fromLatin1(base + "snapshot")},
        });
    }
    return cameraArray;
}
} // namespace

QByteArray ServerStatus::toJson() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonArray clientArray;
    for (const ClientStats &c : clients) {
        clientArray.append(QJsonObject{
            {"address", c.address},
            {"port", c.port},
            {"connected_since", isoTime(c.connectedSinceMs)},
            {"connected_seconds", rounded((now - c.connectedSinceMs) / 1000.0, 1)},
            {"streaming", c.streaming},
            {"fps", rounded(c.fps, 2)},
            {"max_fps", c.maxFps},
            {"viewer", c.viewer},
            {"profile", c.profile},
            {"frames_sent", double(c.framesSent)},
            {"frames_dropped", double(c.framesDropped)},
            {"bytes_sent", double(c.bytesSent)},
        });
    }
    const QJsonObject root{
        {"camera", camera},
        {"cameras", camerasJson(cameras)},
        {"camera_streaming", cameraStreaming},
        {"streaming", streaming},
        {"source",
         QJsonObject{
             {"description", source.description},
             {"online", source.online},
             {"width", source.width},
             {"height", source.height},
             {"fps", rounded(source.fps, 2)},
             {"format", source.format},
             {"error", source.error},
             {"requested",
              QJsonObject{{"width", source.requestedWidth},
                          {"height", source.requestedHeight},
                          {"fps", rounded(source.requestedFps, 2)}}},
             {"captured",
              QJsonObject{{"width", source.capturedWidth}, {"height", source.capturedHeight}}},
             {"transform",
              QJsonObject{{"rotate", source.rotate},
                          {"flip", source.flip},
                          {"crop", source.crop},
                          {"crop_applied", source.cropApplied}}},
         }},
        {"privacy", privacy},
        {"screen", screen.isEmpty() ? QJsonValue() : QJsonValue(screen)},
        {"controls_locked", controlsLocked},
        {"output",
         QJsonObject{
             {"fps", rounded(outputFps, 2)},
             {"bytes_per_second", std::round(bytesPerSecond)},
             {"bytes_total", double(bytesTotal)},
             {"frames_captured", double(framesCaptured)},
             {"frames_encoded", double(framesEncoded)},
             {"frames_replaced", double(framesReplaced)},
             {"frames_idle", double(framesIdle)},
             {"encoder_idle", encoderIdle},
             {"frames_published", double(framesPublished)},
             {"frames_skipped_by_network", double(framesSkipped)},
             {"encode_ms", rounded(encodeMs, 2)},
             {"quality", quality},
             {"encoder", encoder},
             {"frames_passed_through", double(framesPassedThrough)},
             {"frames_corrupt", double(framesCorrupt)},
             {"frames_same_dropped", double(framesSameDropped)},
         }},
        {"uptime_seconds", rounded((now - startedAtMs) / 1000.0, 1)},
        {"connections_total", double(connectionsTotal)},
        {"connections", connections},
        {"client_count", int(clients.size())},
        {"clients", clientArray},
        {"profiles", profilesJson(*this)},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}
