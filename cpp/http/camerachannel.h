#pragma once

#include "camerafeed.h"
#include "capture/framesource.h"
#include "encode/frame.h"
#include "serverstatus.h"
#include "statusaggregator.h"

#include <QHash>
#include <QObject>

#include <atomic>
#include <memory>

class StreamServer;

// One camera as the server serves it (issue 19): its frames go out through publishFrame(), its
// viewers' demand and profiles are its feed's, its figures (source, privacy, encoder) come in as
// values and make its /status, and its own streaming switch sits beside the server's global
// one. Made and owned by the StreamServer (addCamera()), on whose thread it lives; the camera's
// stages (pipeline/Camera) hold a pointer to it.
class CameraChannel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString name READ name NOTIFY nameChanged)
    // Its viewers are served (the server's global switch aside): off, its streams end and its
    // /stream answers 503 naming it, while the other cameras go on.
    Q_PROPERTY(bool running READ isRunning WRITE setRunning NOTIFY runningChanged)

public:
    ~CameraChannel() override;

    int id() const { return m_feed->id; }
    QString name() const { return m_name; }
    bool isRunning() const { return m_running; }
    void setRunning(bool running);
    // Thread-safe; they live as long as the channel, and as long as a viewer holds the feed.
    FrameDemand &demand() { return m_feed->demand; }
    ProfileSet &profiles() { return m_feed->profiles; }
    const std::shared_ptr<CameraFeed> &feed() const { return m_feed; }

    // Thread-safe; call it from the encoders' threads (Qt::DirectConnection).
    void publishFrame(const Frame &frame);
    // Thread-safe: the encoder's figures for /status, after each frame it handles.
    void setEncoderStats(const EncoderStats &stats) { m_aggregator.setEncoderStats(stats); }
    void setSourceInfo(const FrameSource::Info &info);
    void setPrivacy(bool on);
    // The camera's controls, for GET /controls and for checking POST /controls.
    void setControls(const CameraControls &controls);
    std::shared_ptr<const CameraControls> controls() const { return m_controls; }
    // Its latest figures, as /camera/NAME/status reports them.
    const ServerStatus &status() const { return m_status; }

public slots:
    // The source's answer to a controlsRequested(): goes to the waiting POST /controls. Ids not
    // asked for here (the settings panel's) are ignored.
    void answerControls(quint64 requestId, const CameraControls &controls, const QString &error);

signals:
    void nameChanged();
    void runningChanged();
    // A viewer's admitted POST /controls (or /camera/NAME/controls): to be applied by the
    // source, answered through answerControls() (within 5 s, or the viewer gets 504).
    void controlsRequested(quint64 requestId, const ControlValues &values, const QString &who);

private:
    friend class StreamServer;
    CameraChannel(StreamServer *server, int id, const QString &name);
    void onControlsRequested(quint64 requestId, const ControlValues &values, const QString &who);
    // Its status from the figures as of now (StreamServer::refreshStatus()).
    ServerStatus buildStatus(bool streaming);

    StreamServer *m_server;
    std::shared_ptr<CameraFeed> m_feed;
    QString m_name;
    bool m_running = true;
    StatusAggregator m_aggregator;
    std::atomic<quint64> m_framesPublished{0};
    QSize m_fullSize; // of the last full-size frame published; the encoder's thread only
    std::shared_ptr<const CameraControls> m_controls;
    QHash<quint64, QString> m_pendingControls; // request id → who asked what, for the log
    ServerStatus m_status;
};
