#pragma once

#include "capture/framesource.h"
#include "encode/frame.h"
#include "encode/jpegencoder.h"
#include "framedemand.h"
#include "requesthandler.h"
#include "serverconfig.h"
#include "serverstatus.h"

#include <QElapsedTimer>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>

#include <atomic>
#include <memory>

class ClientPool;
class ConnectionGate;
class Listener;
class QThread;

// The MJPEG server. The object itself lives on the thread that made it (the GUI thread in the
// kiosk) and only holds figures; accepting and all socket I/O happen on network threads, each
// with its own ClientPool. Frames come in through publishFrame() from the encoder's thread and
// go straight to the pools; figures come back a few times a second.
class StreamServer : public QObject
{
    Q_OBJECT
    // Streaming switched on (viewers served) or off (/stream answers 503, open streams end).
    Q_PROPERTY(bool running READ isRunning WRITE setRunning NOTIFY runningChanged)
    Q_PROPERTY(bool listening READ isListening NOTIFY listeningChanged)
    Q_PROPERTY(int port READ port NOTIFY listeningChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY listeningChanged)
    Q_PROPERTY(int clientCount READ clientCount NOTIFY statsChanged)
    Q_PROPERTY(double bytesPerSecond READ bytesPerSecond NOTIFY statsChanged)
    Q_PROPERTY(double framesPerSecond READ framesPerSecond NOTIFY statsChanged)
    Q_PROPERTY(qint64 totalBytes READ totalBytes NOTIFY statsChanged)
    Q_PROPERTY(QVariantList clients READ clients NOTIFY statsChanged)

public:
    explicit StreamServer(QObject *parent = nullptr);
    ~StreamServer() override;

    // Binds and starts the network threads. On failure (port in use, bad address) returns false
    // and errorString() says why.
    bool listen(const ServerConfig &config);
    void close();

    bool isRunning() const { return m_running; }
    void setRunning(bool running);
    // Viewer credentials, applied to new requests at once; an empty password turns auth off.
    void setCredentials(const QByteArray &user, const QByteArray &password);
    bool isListening() const { return m_listening; }
    int port() const { return m_port; }
    // The HTTPS port when TLS is configured, else 0.
    int tlsPort() const { return m_tlsPort; }
    QString errorString() const { return m_errorString; }
    // The settings in force: the last listen()'s, with credentials from setCredentials().
    const ServerConfig &config() const { return m_config; }
    int clientCount() const;
    double bytesPerSecond() const { return m_status.bytesPerSecond; }
    double framesPerSecond() const { return m_status.outputFps; }
    qint64 totalBytes() const { return qint64(m_status.bytesTotal); }
    QVariantList clients() const;
    // The latest figures, as /status reports them.
    const ServerStatus &status() const { return m_status; }

    // Thread-safe; call it from the encoder's thread (Qt::DirectConnection).
    void publishFrame(const Frame &frame);
    // Who needs JPEGs: the viewers and waiting snapshots hold it; the pipeline listens to it to
    // let the encoder idle while nobody does. Thread-safe; lives as long as the server.
    FrameDemand &demand() { return m_demand; }
    // Where the capture/encode counters for /status come from; may be null.
    void setEncoder(const JpegEncoder *encoder) { m_encoder = encoder; }
    void setSourceInfo(const FrameSource::Info &info);
    void setPrivacy(bool on) { m_privacy = on; }
    // The page served at "/".
    void setIndexHtml(const QByteArray &html);

signals:
    void runningChanged();
    void listeningChanged();
    void statsChanged();

private:
    void onPoolStats(const PoolStats &stats);
    void refreshStatus();
    template<typename F> void forEachPool(F &&f);

    bool m_running = true;
    bool m_listening = false;
    int m_port = 0;
    QString m_errorString;
    QByteArray m_indexHtml;
    ServerConfig m_config;
    FrameDemand m_demand; // before the pools, whose clients hold it
    std::unique_ptr<RequestHandler> m_handler;
    Listener *m_listener = nullptr;
    QPointer<Listener> m_tlsListener;
    int m_tlsPort = 0;
    std::unique_ptr<ConnectionGate> m_gate;
    QList<QThread *> m_threads;
    QList<ClientPool *> m_pools;
    QMutex m_poolsMutex; // publishFrame() runs on the encoder's thread
    QList<PoolStats> m_poolStats;
    std::atomic<int> m_openConnections{0};
    std::atomic<quint64> m_framesPublished{0};
    std::atomic<bool> m_zeroCopy{true}; // read on the encoder's thread
    const JpegEncoder *m_encoder = nullptr;
    FrameSource::Info m_sourceInfo;
    bool m_privacy = false;
    ServerStatus m_status;
    QTimer m_statusTimer;
    // Recent (ms, bytes, frames) samples for the one-second rates.
    struct Sample
    {
        qint64 ms;
        quint64 bytes;
        quint64 frames;
    };
    QList<Sample> m_samples;
    QElapsedTimer m_clock;
};
