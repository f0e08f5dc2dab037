#include "kioskbackend.h"

#include "cameraprovider.h"
#include "core/clock.h"
#include "http/camerachannel.h"
#include "humanunits.h"
#include "pipeline/camera.h"
#include "pipeline/pipeline.h"
#include "qrcodeprovider.h"

#include <QDateTime>
#include <QDir>
#include <QGuiApplication>
#include <QInputMethod>
#include <QQmlInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThreadPool>
#include <QTranslator>

namespace {
KioskBackend *g_instance = nullptr;
// How long the Snapshot button waits for a fresh frame before it saves the newest one.
constexpr int kSnapshotWaitMs = 2000;

// The user's language when there is a translation for it, else English, which brings the
// plural forms of the %n texts ("1 viewer", "2 viewers"; i18n/).
void installTranslator()
{
    static QTranslator *translator = nullptr;
    if (translator)
        return;
    translator = new QTranslator(QCoreApplication::instance());
    const QString folder = QStringLiteral(":/i18n");
    const QString name = QStringLiteral("mjpeg-kiosk");
    if (translator->load(QLocale(), name, QStringLiteral("_"), folder)
        || translator->load(name + QStringLiteral("_en"), folder))
        QCoreApplication::installTranslator(translator);
}
} // namespace

KioskBackend::KioskBackend(Pipeline *pipeline, bool kioskMode)
    : m_pipeline(pipeline)
    , m_kioskMode(kioskMode)
    , m_cameras(pipeline)
    , m_settings(pipeline)
    , m_lock(&m_settings)
    , m_sharing(&m_settings)
    , m_cameraControls(pipeline, &m_lock)
    , m_snapshotFolder(QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                           .filePath(QStringLiteral("MJPEG Kiosk")))
{
    m_snapshotTimer.setSingleShot(true);
    m_snapshotTimer.setInterval(kSnapshotWaitMs);
    connect(&m_snapshotTimer, &QTimer::timeout, this, [this] { finishSnapshot(true); });
    connect(&m_cameras, &CameraListModel::sourceChanged, this, [this](int row) {
        if (row != currentCamera())
            return;
        m_source = m_cameras.sourceInfo(row);
        m_sharing.setSource(m_source);
        emit sourceChanged();
    });
    // A new camera's stage before its tile's LivePicture connects to it (FrameGate).
    connect(&m_cameras, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QList<PreviewStage *> stages;
        for (Camera *camera : m_pipeline->cameras())
            stages.append(camera->preview());
        m_screenUpdates.setStages(stages);
    });
    connect(&m_cameras, &CameraListModel::camerasChanged, this, &KioskBackend::onCamerasChanged);

    m_bandwidth.setFloor(1000);
    m_frameRate.setFloor(10);
    m_screenUpdates.setStages(m_cameras.stages());
    follow(m_cameras.camera(0));
    StreamServer *server = pipeline->server();
    connect(server, &StreamServer::statsChanged, this, &KioskBackend::takeServerStats);
    // The settings show the port in use.
    connect(server, &StreamServer::listeningChanged, &m_settings, &KioskSettings::changed);

    connect(&m_settings, &KioskSettings::kioskChanged, this, &KioskBackend::configureKiosk);
    connect(&m_lock, &OperatorLock::lockedChanged, this, &KioskBackend::pushKioskState);
    connect(&m_screen, &ScreenPower::stateChanged, this, &KioskBackend::pushKioskState);
    configureKiosk(pipeline->config().kiosk);
    QCoreApplication::instance()->installEventFilter(this);
}

void KioskBackend::follow(Camera *camera)
{
    for (const auto &connection : std::as_const(m_currentConnections))
        disconnect(connection);
    m_currentConnections.clear();
    m_current = camera;
    if (camera) {
        // Direct, on the encoder's thread: only the sequence number crosses over; the provider
        // fetches the newest picture when QML asks for it.
        m_currentConnections << connect(
            camera, &Camera::frameEncoded, this,
            [this](const Frame &frame) {
                m_pendingSequence = frame.sequence();
                if (m_updateQueued.exchange(true))
                    return;
                QMetaObject::invokeMethod(
                    this,
                    [this] {
                        m_updateQueued = false;
                        m_frameSequence = m_pendingSequence;
                        emit frameSequenceChanged();
                        if (m_snapshotHold.isHeld())
                            finishSnapshot(false);
                    },
                    Qt::QueuedConnection);
            },
            Qt::DirectConnection);
        m_currentConnections << connect(camera, &Camera::privacyChanged, this,
                                        &KioskBackend::privacyChanged, Qt::QueuedConnection);
        m_currentConnections << connect(camera->channel(), &CameraChannel::runningChanged, this,
                                        &KioskBackend::cameraStreamingChanged);
        m_frameSequence = camera->latestFrame().sequence();
    }
    m_cameraControls.setCamera(camera);
    m_settings.setCamera(camera); // its own fields in the panel; a shared view crops it
    // The graphs and the viewer list are the camera's: another one starts them afresh.
    m_bandwidth.clear();
    m_frameRate.clear();
    m_viewers.update({});
    m_source = m_cameras.sourceInfo(currentCamera());
    m_sharing.setSource(m_source);
    emit currentCameraChanged();
    emit frameSequenceChanged();
    emit sourceChanged();
    emit privacyChanged();
    emit cameraStreamingChanged();
    takeServerStats(); // its viewers now, not at the server's next update
}

void KioskBackend::onCamerasChanged()
{
    m_screenUpdates.setStages(m_cameras.stages());
    if (!m_current || currentCamera() < 0)
        follow(m_cameras.camera(0)); // the current camera was removed
    else
        emit currentCameraChanged(); // its row or name may have changed
}

void KioskBackend::configureKiosk(const KioskConfig &kiosk)
{
    m_lock.configure(kiosk);
    m_screen.configure(kiosk);
    pushKioskState();
    if (kiosk.screenRotation != m_screenRotation) {
        m_screenRotation = kiosk.screenRotation;
        emit screenRotationChanged();
    }
}

void KioskBackend::takeServerStats()
{
    static const ServerStatus none;
    const ServerStatus &status = m_current ? m_current->channel()->status() : none;
    const double bytesPerSecond = status.bytesPerSecond;
    // Frames keep reaching the server while streaming is off, but none goes out.
    const double framesPerSecond
        = status.streaming && status.cameraStreaming ? status.outputFps : 0;
    // The counts at once, as the server's own clientCount changes; the rest with a picture.
    int total = 0;
    for (const ServerStatus::CameraSummary &camera : status.cameras)
        total += camera.viewers;
    const int viewers = int(status.clients.size());
    if (viewers != m_viewerCount || total != m_totalViewerCount) {
        m_viewerCount = viewers;
        m_totalViewerCount = total;
        emit viewerCountChanged();
    }
    m_screenUpdates.post([this, bytesPerSecond, framesPerSecond, clients = status.clients,
                          cameras = cameraFigures(status)] {
        m_bandwidth.append(bytesPerSecond);
        m_frameRate.append(framesPerSecond);
        m_viewers.update(clients);
        m_cameras.setFigures(cameras);
    });
}

QList<CameraListModel::Figures> KioskBackend::cameraFigures(const ServerStatus &status)
{
    QList<CameraListModel::Figures> figures;
    for (const ServerStatus::CameraSummary &camera : status.cameras)
        figures.append({camera.name, camera.viewers, camera.streaming ? camera.fps : 0});
    return figures;
}

void KioskBackend::pushKioskState()
{
    m_pipeline->server()->setKioskState(ScreenPower::stateName(m_screen.state()),
                                        m_lock.isLocked());
}

bool KioskBackend::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
        // Each press reaches the application once per object it passes (window, then items):
        // only the window's counts, which is once per press.
        if (watched->isWindowType()) {
            m_lock.activity();
            m_screen.activity();
        }
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

KioskBackend::~KioskBackend()
{
    QCoreApplication::instance()->removeEventFilter(this);
    m_pipeline->server()->setKioskState({}, false);
    // The encoder's thread calls into this object until then.
    for (const auto &connection : std::as_const(m_currentConnections))
        disconnect(connection);
    disconnect(m_pipeline, nullptr, this, nullptr);
}

void KioskBackend::install(QQmlEngine *engine, Pipeline *pipeline, bool kioskMode)
{
    // One backend per pipeline, shared by successive engines (the QML tests make one per file).
    if (!g_instance || g_instance->m_pipeline != pipeline || g_instance->m_kioskMode != kioskMode) {
        delete g_instance;
        g_instance = new KioskBackend(pipeline, kioskMode);
    }
    installTranslator();
    engine->addImageProvider(QStringLiteral("camera"), new CameraProvider(pipeline));
    engine->addImageProvider(QStringLiteral("qrcode"), new QrCodeProvider);
}

KioskBackend *KioskBackend::create(QQmlEngine *, QJSEngine *engine)
{
    Q_ASSERT(g_instance);
    engine->setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

StreamServer *KioskBackend::server() const
{
    return m_pipeline->server();
}

int KioskBackend::currentCamera() const
{
    return m_cameras.rowOf(m_current);
}

void KioskBackend::setCurrentCamera(int index)
{
    Camera *camera = m_cameras.camera(index);
    if (!camera) {
        qmlWarning(this) << "no camera" << index << "(there are" << m_cameras.rowCount() << ")";
        return;
    }
    if (camera != m_current)
        follow(camera);
}

QString KioskBackend::cameraName() const
{
    return m_current ? m_current->name() : QString();
}

QString KioskBackend::cameraPath() const
{
    if (!m_current || m_cameras.rowCount() < 2)
        return {};
    return QStringLiteral("/camera/") + m_current->name();
}

PreviewStage *KioskBackend::preview() const
{
    return m_current ? m_current->preview() : nullptr;
}

bool KioskBackend::privacy() const
{
    return m_current && m_current->privacy();
}

void KioskBackend::setPrivacy(bool on)
{
    if (m_current)
        m_current->setPrivacy(on);
}

bool KioskBackend::cameraStreaming() const
{
    return m_current && m_current->channel()->isRunning();
}

void KioskBackend::setCameraStreaming(bool on)
{
    if (m_current)
        m_current->channel()->setRunning(on);
}

void KioskBackend::setSnapshotFolder(const QString &folder)
{
    if (folder == m_snapshotFolder)
        return;
    m_snapshotFolder = folder;
    emit snapshotFolderChanged();
}

void KioskBackend::saveSnapshot()
{
    if (m_snapshotHold.isHeld() || !m_current)
        return; // one is on its way
    // The encoder idles while nobody watches: the newest JPEG may be old. Wake it for a frame
    // captured after this press, as /snapshot does.
    m_snapshotAfterUs = wallClockUs();
    m_snapshotCamera = m_current;
    m_snapshotHold = m_current->channel()->demand().hold();
    m_snapshotTimer.start();
    finishSnapshot(false);
}

void KioskBackend::finishSnapshot(bool anyway)
{
    const Frame frame = m_snapshotCamera ? m_snapshotCamera->latestFrame() : Frame();
    if (!anyway && (frame.isNull() || frame.captureTimeUs() < m_snapshotAfterUs))
        return;
    m_snapshotTimer.stop();
    m_snapshotHold.reset();
    if (frame.isNull()) {
        emit snapshotFailed(tr("No picture yet"));
        return;
    }
    writeSnapshot(frame);
}

void KioskBackend::writeSnapshot(const Frame &frame)
{
    const QString folder = m_snapshotFolder;
    const QString name = QStringLiteral("snapshot-%1.jpg")
                             .arg(QDateTime::fromMSecsSinceEpoch(frame.captureTimeUs() / 1000)
                                      .toString(QStringLiteral("yyyyMMdd-hhmmss-zzz")));
    // A slow SD card must not stall the screen.
    QThreadPool::globalInstance()->start([this, frame, folder, name] {
        QString error;
        const QString path = QDir(folder).filePath(name);
        QSaveFile file(path);
        if (!QDir().mkpath(folder))
            error = tr("Cannot create %1").arg(folder);
        else if (!file.open(QIODevice::WriteOnly) || file.write(frame.jpeg()) != frame.jpeg().size()
                 || !file.commit())
            error = tr("Cannot write %1: %2").arg(path, file.errorString());
        QMetaObject::invokeMethod(
            this,
            [this, path, error] {
                if (error.isEmpty())
                    emit snapshotSaved(path);
                else
                    emit snapshotFailed(error);
            },
            Qt::QueuedConnection);
    });
}

QString KioskBackend::formatBytes(double bytes)
{
    return HumanUnits::bytes(bytes);
}

QString KioskBackend::formatRate(double bytesPerSecond)
{
    return HumanUnits::rate(bytesPerSecond);
}

QString KioskBackend::formatDuration(double seconds)
{
    return HumanUnits::duration(seconds);
}

void KioskBackend::hideKeyboard()
{
    QGuiApplication::inputMethod()->hide();
}
