#pragma once

#include "capture/framesource.h"
#include "encode/frame.h"
#include "encode/jpegencoder.h"
#include "http/streamserver.h"
#include "pipelineconfig.h"

#include <QMutex>
#include <QObject>
#include <QThread>

#include <atomic>

// Owns the stages and their threads: a capture thread for the source, an encoder thread, the
// server's network threads. The object itself belongs to the thread that made it.
class Pipeline : public QObject
{
    Q_OBJECT
public:
    explicit Pipeline(QObject *parent = nullptr);
    ~Pipeline() override;

    // Starts capture, encoding and the server. False (with errorString()) if the server cannot
    // listen; the source failing is not an error: it shows "no signal" and retries.
    bool start(const PipelineConfig &config);
    void stop();
    QString errorString() const { return m_errorString; }

    // Replaces the source (and its resolution and rate) while viewers stay connected.
    void setSource(const QString &spec, QSize resolution, double fps);
    void setQuality(int quality);
    // Moves the server to another port; false (with errorString()) if it cannot listen there,
    // in which case it keeps listening where it was.
    bool setPort(quint16 port);
    // The viewers' password (empty: no auth), for new requests at once and across setPort().
    void setPassword(const QByteArray &password);
    // Privacy: viewers (and the preview) get a placeholder instead of the camera, and stay
    // connected. Thread-safe.
    void setPrivacy(bool on);
    bool privacy() const { return m_privacy.load(); }
    const PipelineConfig &config() const { return m_config; }

    StreamServer *server() { return &m_server; }
    const JpegEncoder *encoder() const { return m_encoder; }
    // Thread-safe: the newest encoded frame (for the preview and snapshots).
    Frame latestFrame() const;

signals:
    // Emitted on the encoder's thread for every frame; connect with a queued connection.
    void frameEncoded(const Frame &frame);
    void sourceInfoChanged(const FrameSource::Info &info);
    void privacyChanged(bool on);

private:
    void startSource();
    void stopSource();
    // Runs on the capture thread for every frame: what the encoder gets instead of `frame`.
    RawFrame screened(const RawFrame &frame);

    PipelineConfig m_config;
    QString m_errorString;
    QThread m_captureThread;
    QThread m_encodeThread;
    FrameSource *m_source = nullptr;
    JpegEncoder *m_encoder = nullptr;
    StreamServer m_server;
    std::atomic<bool> m_privacy{false};
    QImage m_privacyImage; // capture thread only; redrawn once a second for its clock
    qint64 m_privacyImageSecond = -1;
    mutable QMutex m_latestMutex;
    Frame m_latest;
};
