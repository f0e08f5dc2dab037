#include "metrics.h"

namespace {
class Writer
{
public:
    // One metric family: its HELP and TYPE lines, then samples.
    Writer &family(const char *name, const char *type, const char *help)
    {
        m_name = name;
        m_text += "# HELP mjpeg_kiosk_" + m_name + ' ' + help + "\n# TYPE mjpeg_kiosk_" + m_name
            + ' ' + type + '\n';
        return *this;
    }
    Writer &sample(double value, const QByteArray &labels = {})
    {
        m_text += "mjpeg_kiosk_" + m_name + (labels.isEmpty() ? "" : '{' + labels + '}') + ' '
            + QByteArray::number(value, 'g', 15) + '\n';
        return *this;
    }
    Writer &sample(quint64 value, const QByteArray &labels = {})
    {
        m_text += "mjpeg_kiosk_" + m_name + (labels.isEmpty() ? "" : '{' + labels + '}') + ' '
            + QByteArray::number(value) + '\n';
        return *this;
    }
    QByteArray text() const { return m_text; }

private:
    QByteArray m_name;
    QByteArray m_text;
};
QByteArray profileLabels(const ServerStatus &camera, const ServerStatus::Profile &p)
{
    return "camera=\"" + camera.camera.toUtf8() + "\",profile=\"" + p.sizeText() + "\",quality=\""
        + (p.quality > 0 ? QByteArray::number(p.quality) : QByteArray("passthrough")) + '"';
}
} // namespace

QByteArray Metrics::contentType()
{
    return "text/plain; version=0.0.4; charset=utf-8";
}

QByteArray Metrics::prometheusText(const QList<std::shared_ptr<const ServerStatus>> &cameras,
                                   qint64 nowMs)
{
    Writer w;
    if (cameras.isEmpty())
        return w.family("up", "gauge", "1 while the server answers.").sample(quint64(1)).text();
    // The server's own figures are in every camera's status; the first one's are taken.
    const ServerStatus &server = *cameras.first();
    // Each camera's series carry its name; `extra` adds labels of the sample's own.
    const auto each = [&](const auto &value, const QByteArray &extra = {}) {
        for (const auto &camera : cameras) {
            const QByteArray label = "camera=\"" + camera->camera.toUtf8() + '"';
            w.sample(value(*camera), extra.isEmpty() ? label : label + ',' + extra);
        }
    };
    w.family("up", "gauge", "1 while the server answers.").sample(quint64(1));
    w.family("streaming", "gauge", "1 while streaming is switched on at the kiosk.")
        .sample(quint64(server.streaming));
    w.family("camera_streaming", "gauge", "1 while the camera's own streaming switch is on.");
    each([](const ServerStatus &s) { return quint64(s.cameraStreaming); });
    if (!server.screen.isEmpty()) {
        w.family("screen", "gauge", "1 for the state the kiosk's screen is in (on, dimmed, off).");
        for (const char *state : {"on", "dimmed", "off"})
            w.sample(quint64(server.screen == QLatin1String(state)),
                     QByteArrayLiteral("state=\"") + state + '"');
        w.family("controls_locked", "gauge",
                 "1 while the kiosk's controls ask for the operator PIN.")
            .sample(quint64(server.controlsLocked));
    }
    w.family("source_online", "gauge", "1 while the frame source delivers real frames.");
    each([](const ServerStatus &s) { return quint64(s.source.online); });
    w.family("source_fps", "gauge", "Frame rate the source was opened with.");
    each([](const ServerStatus &s) { return s.source.fps; });
    w.family("privacy", "gauge", "1 while the camera is hidden by the kiosk (privacy).");
    each([](const ServerStatus &s) { return quint64(s.privacy); });
    w.family("viewers", "gauge", "Viewers of /stream now.");
    each([](const ServerStatus &s) { return quint64(s.clients.size()); });
    w.family("connections", "gauge", "Open HTTP connections, viewers or not.")
        .sample(quint64(server.connections));
    w.family("connections_total", "counter", "HTTP connections accepted.")
        .sample(server.connectionsTotal);
    w.family("sent_bytes_total", "counter", "Bytes sent to viewers.");
    each([](const ServerStatus &s) { return s.bytesTotal; });
    w.family("sent_bytes_per_second", "gauge", "Bytes sent per second, over the last second.");
    each([](const ServerStatus &s) { return s.bytesPerSecond; });
    w.family("output_fps", "gauge", "Frames published per second, over the last second.");
    each([](const ServerStatus &s) { return s.outputFps; });
    w.family("frames_captured_total", "counter", "Frames the source delivered to the encoder.");
    each([](const ServerStatus &s) { return s.framesCaptured; });
    w.family("frames_encoded_total", "counter", "Frames encoded to JPEG.");
    each([](const ServerStatus &s) { return s.framesEncoded; });
    w.family("encoder_idle", "gauge",
             "1 while nobody needs a JPEG (no viewer, no snapshot waiting): none is made.");
    each([](const ServerStatus &s) { return quint64(s.encoderIdle); });
    w.family("frames_idle_total", "counter",
             "Frames captured while the encoder was idle, and so not encoded.");
    each([](const ServerStatus &s) { return s.framesIdle; });
    w.family("frames_sent_total", "counter", "Frames sent, all viewers together.");
    each([](const ServerStatus &s) { return s.framesSent; });
    w.family("frames_dropped_total", "counter",
             "Frames skipped: by the busy encoder, by a network thread that was behind (all "
             "cameras together), or for a viewer still busy with an older one.");
    each([](const ServerStatus &s) { return s.framesReplaced - s.framesIdle; },
         "stage=\"encoder\"");
    w.sample(server.framesSkipped, "stage=\"network\"");
    each([](const ServerStatus &s) { return s.framesDropped; }, "stage=\"viewer\"");
    w.family("profile_encodes_total", "counter",
             "Frames made for each output profile asked for (size, and quality unless passed "
             "through); the full size counts its JPEGs passed through.");
    for (const auto &camera : cameras) {
        for (const ServerStatus::Profile &p : camera->profiles)
            w.sample(p.encodes, profileLabels(*camera, p));
    }
    w.family("profile_viewers", "gauge", "Viewers of /stream per live output profile.");
    for (const auto &camera : cameras) {
        for (const ServerStatus::Profile &p : camera->profiles) {
            if (p.live)
                w.sample(quint64(p.viewers), profileLabels(*camera, p));
        }
    }
    w.family("encode_seconds", "gauge", "Time the latest JPEG encode took.");
    each([](const ServerStatus &s) { return s.encodeMs / 1000.0; });
    w.family("jpeg_quality", "gauge", "JPEG quality, 1 to 100.");
    each([](const ServerStatus &s) { return quint64(s.quality); });
    w.family("uptime_seconds", "gauge", "Seconds since the server started.")
        .sample(server.startedAtMs > 0 ? (nowMs - server.startedAtMs) / 1000.0 : 0.0);
    return w.text();
}
