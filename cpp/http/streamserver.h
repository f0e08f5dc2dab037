#pragma once

#include "capture/framesource.h"
#include "encode/frame.h"
#include "framedemand.h"
#include "networkthreads.h"
#include "serverconfig.h"
#include "serverstatus.h"
#include "statusaggregator.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QVariantList>

#include <atomic>

// The MJPEG server as the application and QML see it. The object lives on the thread that made
// it (the GUI thread in the kiosk) and only holds settings and figures; accepting and all socket
// I/O happen on NetworkThreads. Frames come in through publishFrame() from the encoder's thread
// and go straight to the network threads; the figures (theirs, the encoder's, the source's) are
// combined by a StatusAggregator a few times a second.
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
    int port() const { return m_network.port(); }
    // The HTTPS port when TLS is configured, else 0.
    int tlsPort() const { return m_network.tlsPort(); }
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
    // Thread-safe: the encoder's figures for /status, after each frame it handles.
    void setEncoderStats(const EncoderStats &stats) { m_aggregator.setEncoderStats(stats); }
    // Who needs JPEGs: the viewers and waiting snapshots hold it; the pipeline listens to it to
    // let the encoder idle while nobody does. Thread-safe; lives as long as the server.
    FrameDemand &demand() { return m_demand; }
    // The source's output profiles (issue 18): which size and quality each viewer gets; the
    // pipeline hears of each new one to make its encoder. Thread-safe; lives as long as the
    // server.
    ProfileSet &profiles() { return m_profiles; }
    void setSourceInfo(const FrameSource::Info &info);
    void setPrivacy(bool on) { m_aggregator.setPrivacy(on); }
    // Pushed by the GUI (the server knows nothing of it): the screen "on", "dimmed" or "off"
    // ("" headless) and whether the kiosk's controls are locked, for /status and /metrics.
    void setKioskState(const QString &screen, bool controlsLocked)
    {
        m_aggregator.setKioskState(screen, controlsLocked);
    }
    // The page served at "/".
    void setIndexHtml(const QByteArray &html);
    // The source's camera controls, for GET /controls and for checking POST /controls.
    void setControls(const CameraControls &controls);

public slots:
    // The source's answer (FrameSource::controlsApplied) to a controlsRequested(): goes to the
    // waiting POST /controls. Ids not asked for here (the settings panel's) are ignored.
    void answerControls(quint64 requestId, const CameraControls &controls, const QString &error);

signals:
    void runningChanged();
    void listeningChanged();
    void statsChanged();
    // A viewer's admitted POST /controls: to be applied by the source, answered through
    // answerControls() (within 5 s, or the viewer gets 504).
    void controlsRequested(quint64 requestId, const ControlValues &values, const QString &who);

private:
    void refreshStatus();
    void onControlsRequested(quint64 requestId, const ControlValues &values, const QString &who);
    std::shared_ptr<const Credentials> credentials() const;

    bool m_running = true;
    bool m_listening = false;
    QString m_errorString;
    QByteArray m_indexHtml;
    ServerConfig m_config;
    FrameDemand m_demand; // before the network threads, whose connections hold it
    ProfileSet m_profiles; // likewise
    NetworkThreads m_network;
    StatusAggregator m_aggregator;
    std::atomic<quint64> m_framesPublished{0};
    QSize m_fullSize; // of the last full-size frame published; the encoder's thread only
    std::atomic<bool> m_zeroCopy{true}; // read on the encoder's thread
    ServerStatus m_status;
    QTimer m_statusTimer;
    std::shared_ptr<const CameraControls> m_controls;
    QHash<quint64, QString> m_pendingControls; // request id → who asked what, for the log
};
