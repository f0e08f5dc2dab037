#pragma once

#include "capture/framesource.h"
#include "encode/frame.h"
#include "encode/jpegencoder.h"
#include "encode/profileencoders.h"
#include "http/camerachannel.h"
#include "pipelineconfig.h"
#include "preview/previewstage.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>

// One camera's stages and their threads (issue 19): a capture thread per source, an encoder
// thread, the profile encoders' threads, the preview stage; its frames go out through its
// CameraChannel, the server's side of it. Cameras share nothing but the server's network
// threads, so one that fails or stalls costs the others nothing. The object itself belongs to
// the thread that made it (the Pipeline's).
class Camera : public QObject
{
    Q_OBJECT
public:
    // `channel` is the server's side of this camera; it must outlive the camera's start().
    explicit Camera(CameraChannel *channel, QObject *parent = nullptr);
    ~Camera() override;

    // Starts capture and encoding, with `maxProfiles` encoders at most (the full size's
    // included). False (with *error) if the source's plugin is not installed; a source failing
    // to open is not an error: it shows "no signal" and retries.
    bool start(const CameraConfig &config, int maxProfiles, QString *error);
    void stop();
    QString name() const { return m_config.name; }
    // Renamed by the pipeline, with the server's side.
    void setName(const QString &name) { m_config.name = name; }
    CameraChannel *channel() const { return m_channel; }

    // Replaces the source (and its resolution and rate) while viewers stay connected.
    void setSource(const QString &spec, QSize resolution, double fps);
    // A quality set at run time counts as forced: MJPEG cameras are then re-encoded (auto).
    void setQuality(int quality);
    // Privacy: viewers (and the preview) get a placeholder instead of the camera, and stay
    // connected. Thread-safe.
    void setPrivacy(bool on);
    bool privacy() const { return m_privacy.load(); }
    // Rotation, flip and crop for every frame from the next one on (viewers, /snapshot, the
    // screen). Thread-safe: the screen's "share this view" may set a crop from the GUI. A crop
    // that does not fit the frames the source sends is clamped to them.
    void setTransform(const FrameTransform &transform);
    FrameTransform transform() const;
    const CameraConfig &config() const { return m_config; }
    // What /status tells of its source, as last published.
    const FrameSource::Info &sourceInfo() const { return m_publishedInfo; }
    // Sets camera controls on the source (its thread); the answer comes as controlsApplied()
    // with the same id. Ids with the top bit set are the caller's (newLocalRequest()); lower
    // ones are the server's. `who` asked (a viewer's address, "this screen"): the change is
    // then announced with controlsNoticed() once the source has answered.
    void applyControls(quint64 requestId, const ControlValues &values, const QString &who = {});
    static constexpr quint64 kLocalRequest = quint64(1) << 63;
    // An id for applyControls() that is nobody else's.
    quint64 newLocalRequest() { return kLocalRequest | ++m_localRequests; }
    // The source's controls as last announced by controlsChanged().
    const CameraControls &controls() const { return m_controls; }

    const JpegEncoder *encoder() const { return m_encoder; }
    // Thread-safe: the newest encoded frame (for snapshots). The encoder idles while nobody
    // needs JPEGs (channel()->demand()), so it may be old then; it is renewed when it would
    // mislead (refreshLatest()).
    Frame latestFrame() const;
    // The kiosk screen's pictures, made from every captured frame (placeholders included) while
    // a view shows them; nothing runs for it otherwise (headless).
    PreviewStage *preview() { return &m_preview; }
    const PreviewStage *preview() const { return &m_preview; }
    // Has the encoder make one more frame even if nobody watches, so that the newest frame
    // (what a new viewer sees first, /snapshot?cached=1, the kiosk's preview) shows what the
    // viewers would see now: the first picture, another source, the source gone or back, the
    // privacy placeholder.
    void refreshLatest();

signals:
    // Emitted on the encoder's thread for every frame; connect with a queued connection.
    void frameEncoded(const Frame &frame);
    // What the source delivers; `online` is false as well when it has sent nothing for the
    // source timeout (while the source is away viewers get "no signal" frames).
    void sourceInfoChanged(const FrameSource::Info &info);
    void privacyChanged(bool on);
    // The source's camera controls, whenever a value or flag changes (any cause).
    void controlsChanged(const CameraControls &controls);
    void controlsApplied(quint64 requestId, const CameraControls &controls, const QString &error);
    // A change somebody asked for, once the source has answered: who ("192.168.1.5 (user
    // admin)", "this screen", "--control", "saved values"), the controls named, with the values
    // in force afterwards, and why not everything was applied (empty when it was). For the
    // screen's notice of every change.
    void controlsNoticed(const QString &who, const QList<CameraControl> &changed,
                         const QString &error);

private:
    void startSource(QString *error = nullptr);
    void stopSource();
    void applyEncoderSettings();
    // The full size's quality as the profiles see it: none when camera JPEGs pass through.
    void publishFullQuality();
    // The encoder's figures to the server (on the encoder's thread, or this one at start).
    void pushEncoderStats(const JpegEncoder::Counters &counters);
    void onSourceInfo(const FrameSource::Info &info);
    // Camera controls: the values saved for a camera are applied when it first shows up
    // (--control wins for what it names), and whatever is applied is saved again.
    void onControlsChanged(const CameraControls &controls);
    void onControlsApplied(quint64 requestId, const CameraControls &controls, const QString &error);
    // controlsNoticed() for `names`, as `controls` has them.
    void noticeControls(const QString &who, const QStringList &names,
                        const CameraControls &controls, const QString &error);
    void checkSource(); // the watchdog, on this object's thread
    bool sourceLive(qint64 now) const;
    void restartIfWedged(qint64 now);
    void sendPlaceholder(qint64 now);
    void publishSourceInfo();
    // Runs on the capture thread for every frame: what the encoder gets instead of `frame`,
    // turned by `transformer` (the source's own), or the privacy placeholder.
    RawFrame screened(const RawFrame &frame, FrameTransformer *transformer);
    void setApplied(const FrameTransformer::Applied &applied); // this object's thread

    CameraConfig m_config;
    CameraChannel *m_channel;
    FrameSource::Info m_publishedInfo;
    QString m_restoredCamera; // whose saved control values were applied
    CameraControls m_controls; // as last announced
    quint64 m_localRequests = 0;
    // Requests with a `who`, until the source answers them: who, and the controls named.
    QHash<quint64, QPair<QString, QStringList>> m_noticeRequests;
    QThread *m_captureThread = nullptr; // the current source's; frees itself when done
    QThread m_encodeThread;
    FrameSource *m_source = nullptr;
    JpegEncoder *m_encoder = nullptr;
    // The smaller sizes and other qualities (issue 18), each encoded only while watched.
    std::unique_ptr<ProfileEncoders> m_profileEncoders;
    PreviewStage m_preview;
    std::atomic<bool> m_privacy{false};
    QImage m_privacyImage; // capture thread only; redrawn once a second for its clock
    qint64 m_privacyImageSecond = -1;
    // Watchdog: independent of the capture thread, which a stuck driver may block.
    QTimer m_watchdog;
    std::atomic<qint64> m_lastLiveUs{0}; // monotonic µs of the newest live frame
    std::atomic<quint64> m_sequence{0}; // one numbering for source frames and placeholders
    FrameSource::Info m_sourceInfo; // as the source last reported it
    bool m_sourceSaidOffline = false;
    // Live: the source says it is online and has sent a frame since it last said otherwise
    // (m_liveAfterUs) and within the source timeout. What viewers and /status are told.
    bool m_live = true;
    qint64 m_liveAfterUs = 0;
    // Set while not live: the capture thread's next live frame then runs checkSource() at once.
    std::atomic<bool> m_wakeOnLiveFrame{false};
    bool m_publishedOnline = false; // as last told to the server
    qint64 m_lastPlaceholderUs = 0;
    qint64 m_restartedUs = 0;
    qint64 m_restartBackoffUs = 0;
    mutable QMutex m_transformMutex; // guards m_transform, which the capture thread reads
    FrameTransform m_transform;
    FrameTransformer::Applied m_applied; // as the capture thread last reported it
    mutable QMutex m_latestMutex;
    Frame m_latest;
    FrameDemand::Hold m_refresh; // guarded by m_latestMutex, like the two below
    quint64 m_refreshAfter = 0; // the frame numbered above this ends the refresh
};
