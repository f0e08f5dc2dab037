#pragma once

#include "camerachannel.h"
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
// I/O happen on NetworkThreads, shared by every camera. Each camera is a CameraChannel
// (addCamera()): its frames come in through its publishFrame() from its encoders' threads and
// go straight to the network threads; its figures (the pools', its encoder's, its source's) are
// combined by its StatusAggregator a few times a second. The properties below are the whole
// server's switch and the first camera's figures (the one /stream serves).
class StreamServer : public QObject
{
    Q_OBJECT
    // Streaming switched on (viewers served) or off (/stream answers 503, open streams end), for
    // every camera; each has a switch of its own besides (CameraChannel::running).
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
    double bytesPerSecond() const { return status().bytesPerSecond; }
    double framesPerSecond() const { return status().outputFps; }
    qint64 totalBytes() const { return qint64(status().bytesTotal); }
    QVariantList clients() const;
    // The first camera's latest figures, as /status reports them.
    const ServerStatus &status() const;

    // The cameras, in order: the first is what /stream, /snapshot, /status, /controls and the
    // ?action= URLs serve; each is at /camera/NAME/ too. A new camera gets an id never used
    // before. Names are the caller's to check (CameraConfig::checkCameraName(), unique).
    CameraChannel *addCamera(const QString &name);
    // Its viewers' streams end, its waiting snapshots get 404. The camera's encoders must be
    // stopped first: they publish through it.
    void removeCamera(CameraChannel *camera);
    // Viewers keep watching (they are matched by id); new requests use the new name.
    void renameCamera(CameraChannel *camera, const QString &name);
    const QList<CameraChannel *> &cameras() const { return m_cameras; }
    // The one at `index` (null when there is none).
    CameraChannel *camera(int index = 0) const { return m_cameras.value(index); }
    CameraChannel *camera(const QString &name) const;
    // Pushed by the GUI (the server knows nothing of it): the screen "on", "dimmed" or "off"
    // ("" headless) and whether the kiosk's controls are locked, for /status and /metrics.
    void setKioskState(const QString &screen, bool controlsLocked);
    // The page served at "/" and "/camera/NAME/".
    void setIndexHtml(const QByteArray &html);

signals:
    void runningChanged();
    void listeningChanged();
    void statsChanged();
    void camerasChanged(); // added, removed or renamed

private:
    friend class CameraChannel;
    // Every camera's figures anew, then publishRoutes().
    void refreshStatus();
    // The cameras as they are now to the network threads.
    void publishRoutes();
    std::shared_ptr<const Credentials> credentials() const;

    bool m_running = true;
    bool m_listening = false;
    QString m_errorString;
    QByteArray m_indexHtml;
    ServerConfig m_config;
    NetworkThreads m_network;
    QList<CameraChannel *> m_cameras; // owned
    int m_nextCameraId = 0;
    std::atomic<bool> m_zeroCopy{true}; // read on the encoders' threads
    QString m_screen; // the kiosk's state, for every camera's status
    bool m_controlsLocked = false;
    QTimer m_statusTimer;
};
