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
QByteArray profileLabels(const ServerStatus::Profile &p)
{
    return "profile=\"" + p.sizeText() + "\",quality=\""
        + (p.quality > 0 ? QByteArray::number(p.quality) : QByteArray("passthrough")) + '"';
}
} // namespace

QByteArray Metrics::contentType()
{
    return "text/plain; version=0.0.4; charset=utf-8";
}

QByteArray Metrics::prometheusText(const ServerStatus &s, qint64 nowMs)
{
    Writer w;
    w.family("up", "gauge", "1 while the server answers.").sample(quint64(1));
    w.family("streaming", "gauge", "1 while streaming is switched on at the kiosk.")
        .sample(quint64(s.streaming));
    if (!s.screen.isEmpty()) {
        w.family("screen", "gauge", "1 for the state the kiosk's screen is in (on, dimmed, off).");
        for (const char *state : {"on", "dimmed", "off"})
            w.sample(quint64(s.screen == QLatin1String(state)),
                     QByteArrayLiteral("state=\"") + state + '"');
        w.family("controls_locked", "gauge",
                 "1 while the kiosk's controls ask for the operator PIN.")
            .sample(quint64(s.controlsLocked));
    }
    w.family("source_online", "gauge", "1 while the frame source delivers real frames.")
        .sample(quint64(s.source.online));
    w.family("source_fps", "gauge", "Frame rate the source was opened with.").sample(s.source.fps);
    w.family("viewers", "gauge", "Viewers of /stream now.").sample(quint64(s.clients.size()));
    w.family("connections", "gauge", "Open HTTP connections, viewers or not.")
        .sample(quint64(s.connections));
    w.family("connections_total", "counter", "HTTP connections accepted.")
        .sample(s.connectionsTotal);
    w.family("sent_bytes_total", "counter", "Bytes sent to viewers.").sample(s.bytesTotal);
    w.family("sent_bytes_per_second", "gauge", "Bytes sent per second, over the last second.")
        .sample(s.bytesPerSecond);
    w.family("output_fps", "gauge", "Frames published per second, over the last second.")
        .sample(s.outputFps);
    w.family("frames_captured_total", "counter", "Frames the source delivered to the encoder.")
        .sample(s.framesCaptured);
    w.family("frames_encoded_total", "counter", "Frames encoded to JPEG.").sample(s.framesEncoded);
    w.family("encoder_idle", "gauge",
             "1 while nobody needs a JPEG (no viewer, no snapshot waiting): none is made.")
        .sample(quint64(s.encoderIdle));
    w.family("frames_idle_total", "counter",
             "Frames captured while the encoder was idle, and so not encoded.")
        .sample(s.framesIdle);
    w.family("frames_sent_total", "counter", "Frames sent, all viewers together.")
        .sample(s.framesSent);
    w.family("frames_dropped_total", "counter",
             "Frames skipped: by the busy encoder, by a network thread that was behind, or for a "
             "viewer still busy with an older one.")
        .sample(s.framesReplaced - s.framesIdle, "stage=\"encoder\"")
        .sample(s.framesSkipped, "stage=\"network\"")
        .sample(s.framesDropped, "stage=\"viewer\"");
    w.family("profile_encodes_total", "counter",
             "Frames made for each output profile asked for (size, and quality unless passed "
             "through); the full size counts its JPEGs passed through.");
    for (const ServerStatus::Profile &p : s.profiles)
        w.sample(p.encodes, profileLabels(p));
    w.family("profile_viewers", "gauge", "Viewers of /stream per live output profile.");
    for (const ServerStatus::Profile &p : s.profiles) {
        if (p.live)
            w.sample(quint64(p.viewers), profileLabels(p));
    }
    w.family("encode_seconds", "gauge", "Time the latest JPEG encode took.")
        .sample(s.encodeMs / 1000.0);
    w.family("jpeg_quality", "gauge", "JPEG quality, 1 to 100.").sample(quint64(s.quality));
    w.family("uptime_seconds", "gauge", "Seconds since the server started.")
        .sample(s.startedAtMs > 0 ? (nowMs - s.startedAtMs) / 1000.0 : 0.0);
    return w.text();
}
