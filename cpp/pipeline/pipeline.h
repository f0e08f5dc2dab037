#pragma once

#include "capture/framesource.h"
#include "encode/frame.h"
#include "encode/jpegencoder.h"
#include "http/streamserver.h"
#include "pipelineconfig.h"

#include <QMutex>
#include <QObject>
#include <QThread>

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
    const PipelineConfig &config() const { return m_config; }

    StreamServer *server() { return &m_server; }
    const JpegEncoder *encoder() const { return m_encoder; }
    // Thread-safe: the newest encoded frame (for the preview and snapshots).
    Frame latestFrame() const;

signals:
    // Emitted on the encoder's thread for every frame; connect with a queued connection.
    void frameEncoded(const Frame &frame);
    void sourceInfoChanged(const FrameSource::Info &info);

private:
    void startSource();
    void stopSource();

    PipelineConfig m_config;
    QString m_errorString;
    QThread m_captureThread;
    QThread m_encodeThread;
    FrameSource *m_source = nullptr;
    JpegEncoder *m_encoder = nullptr;
    StreamServer m_server;
    mutable QMutex m_latestMutex;
    Frame m_latest;
};
