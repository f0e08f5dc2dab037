#pragma once

#include "bandwidthhistory.h"
#include "cameracontrolmodel.h"
#include "cameralistmodel.h"
#include "framegate.h"
#include "http/streamserver.h"
#include "kiosksettings.h"
#include "operatorlock.h"
#include "preview/previewstage.h"
#include "screenpower.h"
#include "viewermodel.h"
#include "viewsharing.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QTimer>

#include <atomic>

class Camera;
class Pipeline;

// Makes StreamServer known to QML by name, without the backend depending on Qt Qml.
struct StreamServerForeign
{
    Q_GADGET
    QML_FOREIGN(StreamServer)
    QML_NAMED_ELEMENT(StreamServer)
    QML_UNCREATABLE("StreamServer is owned by the application; use Kiosk.server")
};

struct PreviewStageForeign
{
    Q_GADGET
    QML_FOREIGN(PreviewStage)
    QML_NAMED_ELEMENT(PreviewStage)
    QML_UNCREATABLE("PreviewStage is owned by the pipeline; use Kiosk.preview")
};

// The QML-facing entry point to the running pipeline (singleton "Kiosk"). Everything here
// changes a few times a second at most, except frameSequence: the newest encoded frame's, which
// moves at the source's rate while the encoder works (someone watches) and rests while it idles.
// The screen's picture does not follow it (LivePicture has a stage of its own).
// Every camera is in `cameras` (the grid's tiles); one of them is the current camera, which the
// per-camera properties here (preview, source*, privacy, frameSequence, cameraControls,
// cameraPath), the snapshot, the info panel's URLs and the settings' Camera page follow.
class KioskBackend : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Kiosk)
    QML_SINGLETON
    Q_PROPERTY(StreamServer *server READ server CONSTANT)
    // Every camera, in the pipeline's order, with its state and figures (the grid's tiles).
    Q_PROPERTY(CameraListModel *cameras READ cameras CONSTANT)
    // The row in `cameras` of the camera shown alone and acted on (0 at start). A camera removed
    // while current hands over to the first; one moved keeps being current (the index follows).
    Q_PROPERTY(
        int currentCamera READ currentCamera WRITE setCurrentCamera NOTIFY currentCameraChanged)
    Q_PROPERTY(QString cameraName READ cameraName NOTIFY currentCameraChanged)
    // Where the current camera's pages are on the server: "" (the plain routes: /, /stream) with
    // one camera, "/camera/NAME" with several (the viewer page and stream of that camera).
    Q_PROPERTY(QString cameraPath READ cameraPath NOTIFY currentCameraChanged)
    // The current camera's pictures for the screen (a LivePicture's stage).
    Q_PROPERTY(PreviewStage *preview READ preview NOTIFY currentCameraChanged)
    Q_PROPERTY(bool kioskMode READ kioskMode CONSTANT)
    // A double for QML (exact up to 2^53), which has no 64-bit integer type.
    Q_PROPERTY(double frameSequence READ frameSequence NOTIFY frameSequenceChanged)
    Q_PROPERTY(bool sourceOnline READ sourceOnline NOTIFY sourceChanged)
    Q_PROPERTY(QString sourceDescription READ sourceDescription NOTIFY sourceChanged)
    Q_PROPERTY(QSize sourceSize READ sourceSize NOTIFY sourceChanged)
    Q_PROPERTY(double sourceFps READ sourceFps NOTIFY sourceChanged)
    // Viewers (and the preview) see a placeholder instead of the camera.
    Q_PROPERTY(bool privacy READ privacy WRITE setPrivacy NOTIFY privacyChanged)
    // The current camera's own streaming switch (Kiosk.server.running is every camera's): off,
    // its viewers' streams end and its URLs answer 503 naming it; the others go on.
    Q_PROPERTY(bool cameraStreaming READ cameraStreaming WRITE setCameraStreaming NOTIFY
                   cameraStreamingChanged)
    // The current camera's viewers (its list and count), and every camera's together.
    Q_PROPERTY(ViewerModel *viewers READ viewers CONSTANT)
    Q_PROPERTY(int viewerCount READ viewerCount NOTIFY viewerCountChanged)
    Q_PROPERTY(int totalViewerCount READ totalViewerCount NOTIFY viewerCountChanged)
    // The last minute of the current camera's outgoing bytes/s and output frame rate (0 while
    // its streaming is off), one sample per server update; another camera starts them afresh. They
    // and the viewer list take the server's figures with the screen's next camera picture
    // (FrameGate), so they cost the window no frame of their own.
    Q_PROPERTY(BandwidthHistory *bandwidthHistory READ bandwidthHistory CONSTANT)
    Q_PROPERTY(BandwidthHistory *frameRateHistory READ frameRateHistory CONSTANT)
    Q_PROPERTY(KioskSettings *settings READ settings CONSTANT)
    // Who may use the controls (operator PIN), and whether the screen is lit.
    Q_PROPERTY(OperatorLock *lock READ lock CONSTANT)
    Q_PROPERTY(ScreenPower *screen READ screen CONSTANT)
    // "Share this view": the screen's zoom as the stream's crop, and back.
    Q_PROPERTY(ViewSharing *sharing READ sharing CONSTANT)
    // The camera's controls (the settings panel's Camera page) and the notice of each change.
    Q_PROPERTY(CameraControlModel *cameraControls READ cameraControls CONSTANT)
    Q_PROPERTY(QString snapshotFolder READ snapshotFolder WRITE setSnapshotFolder NOTIFY
                   snapshotFolderChanged)
    // Degrees clockwise the whole UI is turned (--screen-rotation; qml/ScreenRotation.qml).
    Q_PROPERTY(int screenRotation READ screenRotation NOTIFY screenRotationChanged)

public:
    ~KioskBackend() override;

    // Makes `pipeline` the one the QML singleton drives and gives `engine` the image providers
    // ("camera" for the preview, "qrcode"). The app and the QML tests both start here.
    static void install(QQmlEngine *engine, Pipeline *pipeline, bool kioskMode);
    static KioskBackend *create(QQmlEngine *, QJSEngine *);

    StreamServer *server() const;
    CameraListModel *cameras() { return &m_cameras; }
    int currentCamera() const;
    void setCurrentCamera(int index);
    QString cameraName() const;
    QString cameraPath() const;
    PreviewStage *preview() const;
    bool kioskMode() const { return m_kioskMode; }
    double frameSequence() const { return double(m_frameSequence); }
    bool sourceOnline() const { return m_source.online; }
    QString sourceDescription() const { return m_source.description; }
    QSize sourceSize() const { return m_source.size; }
    double sourceFps() const { return m_source.fps; }
    bool privacy() const;
    void setPrivacy(bool on);
    bool cameraStreaming() const;
    void setCameraStreaming(bool on);
    ViewerModel *viewers() { return &m_viewers; }
    int viewerCount() const { return m_viewerCount; }
    int totalViewerCount() const { return m_totalViewerCount; }
    BandwidthHistory *bandwidthHistory() { return &m_bandwidth; }
    BandwidthHistory *frameRateHistory() { return &m_frameRate; }
    KioskSettings *settings() { return &m_settings; }
    OperatorLock *lock() { return &m_lock; }
    ScreenPower *screen() { return &m_screen; }
    ViewSharing *sharing() { return &m_sharing; }
    CameraControlModel *cameraControls() { return &m_cameraControls; }
    QString snapshotFolder() const { return m_snapshotFolder; }
    void setSnapshotFolder(const QString &folder);
    int screenRotation() const { return m_screenRotation; }

    // Saves the JPEG of a frame captured after the call (as viewers get it; the idle encoder is
    // woken for it, and after 2 s the newest frame is taken) into snapshotFolder, off the GUI
    // thread; answers with snapshotSaved or snapshotFailed.
    Q_INVOKABLE void saveSnapshot();
    // Puts the on-screen keyboard away (QInputMethod, which QML's tooling cannot type).
    Q_INVOKABLE static void hideKeyboard();

    Q_INVOKABLE static QString formatBytes(double bytes);
    Q_INVOKABLE static QString formatRate(double bytesPerSecond);
    Q_INVOKABLE static QString formatDuration(double seconds);

signals:
    void currentCameraChanged();
    void viewerCountChanged();
    void frameSequenceChanged();
    void sourceChanged();
    void privacyChanged();
    void cameraStreamingChanged();
    void snapshotFolderChanged();
    void screenRotationChanged();
    void snapshotSaved(const QString &path);
    void snapshotFailed(const QString &reason);

protected:
    // Every press anywhere on the screen keeps the controls open and the screen lit.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    KioskBackend(Pipeline *pipeline, bool kioskMode);
    // Saves the pending snapshot once the newest frame is fresh enough, or `anyway` (timeout).
    void finishSnapshot(bool anyway);
    void writeSnapshot(const Frame &frame);
    void configureKiosk(const KioskConfig &kiosk);
    // Makes `camera` the current one: its frames, source and privacy drive the properties.
    void follow(Camera *camera);
    void onCamerasChanged();
    // The server's figures of each camera, for the tiles.
    static QList<CameraListModel::Figures> cameraFigures(const ServerStatus &status);
    // The screen and the lock as /status and /metrics say them (the server knows no QML).
    void pushKioskState();
    // The server's newest figures, for the graphs and the viewer list.
    void takeServerStats();

    Pipeline *m_pipeline;
    bool m_kioskMode;
    CameraListModel m_cameras;
    QPointer<Camera> m_current;
    QList<QMetaObject::Connection> m_currentConnections; // to m_current's signals
    quint64 m_frameSequence = 0;
    // Written on the encoder's thread; at most one update is queued to this thread at a time,
    // so a busy GUI thread never accumulates a backlog of frame notifications.
    std::atomic<quint64> m_pendingSequence{0};
    std::atomic<bool> m_updateQueued{false};
    // A snapshot asked for on the screen: the encoder (idle while nobody watches) is held awake
    // until a frame captured after the press is encoded (or the timer gives up on it).
    FrameDemand::Hold m_snapshotHold;
    QPointer<Camera> m_snapshotCamera; // the camera current when it was asked for
    qint64 m_snapshotAfterUs = 0;
    QTimer m_snapshotTimer;
    FrameSource::Info m_source;
    FrameGate m_screenUpdates;
    ViewerModel m_viewers;
    int m_viewerCount = 0;
    int m_totalViewerCount = 0;
    BandwidthHistory m_bandwidth;
    BandwidthHistory m_frameRate;
    KioskSettings m_settings;
    OperatorLock m_lock;
    ScreenPower m_screen;
    ViewSharing m_sharing;
    CameraControlModel m_cameraControls; // after m_lock, which it asks
    QString m_snapshotFolder;
    int m_screenRotation = 0;
};
