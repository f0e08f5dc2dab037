#pragma once

#include "capture/framesource.h"
#include "encode/frame.h"
#include "encode/jpegencoder.h"
#include "encode/profileencoders.h"
#include "http/streamserver.h"
#include "pipelineconfig.h"
#include "preview/previewstage.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>

// Owns the stages and their threads: a capture thread per source, an encoder thread, the
// server's network threads. The object itself belongs to the thread that made it.
class Pipeline : public QObject
{
    Q_OBJECT
public:
    explicit Pipeline(QObject *parent = nullptr);
    ~Pipeline() override;

    // Starts capture, encoding and the server. False (with errorString()) if the server cannot
    // listen or the source's plugin is not installed; a source failing to open is not an
    // error: it shows "no signal" and retries.
    bool start(const PipelineConfig &config);
    void stop();
    QString errorString() const { return m_errorString; }

    // Replaces the source (and its resolution and rate) while viewers stay connected.
    void setSource(const QString &spec, QSize resolution, double fps);
    // A quality set at run time counts as forced: MJPEG cameras are then re-encoded (auto).
    void setQuality(int quality);
    // The widths viewers may ask for (--profiles), for new requests at once; viewers keep what
    // they have.
    void setProfileWidths(const QList<int> &widths);
    // Moves the server to another port; false (with errorString()) if it cannot listen there,
    // in which case it keeps listening where it was.
    bool setPort(quint16 port);
    // The viewers' password (empty: no auth), for new requests at once and across setPort().
    void setPassword(const QByteArray &password);
    // Privacy: viewers (and the preview) get a placeholder instead of the camera, and stay
    // connected. Thread-safe.
    void setPrivacy(bool on);
    bool privacy() const { return m_privacy.load(); }
    // Rotation, flip and crop for every frame from the next one on (viewers, /snapshot, the
    // screen). Thread-safe: the screen's "share this view" may set a crop from the GUI. A crop
    // that does not fit the frames the source sends is clamped to them.
    void setTransform(const FrameTransform &transform);
    FrameTransform transform() const;
    // The screen's own settings (PIN, sleep), kept here with the rest for the settings panel.
    void setKiosk(const KioskConfig &kiosk) { m_config.kiosk = kiosk; }
    const PipelineConfig &config() const { return m_config; }
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

    StreamServer *server() { return &m_server; }
    const JpegEncoder *encoder() const { return m_encoder; }
    // Thread-safe: the newest encoded frame (for snapshots). The encoder idles while nobody
    // needs JPEGs (server()->demand()), so it may be old then; it is renewed when it would
    // mislead (refreshLatest()).
    Frame latestFrame() const;
    // The kiosk screen's pictures, made from every captured frame (placeholders included) while
    // a view shows them; nothing runs for it otherwise (headless).
    PreviewStage *preview() { return &m_preview; }
    const PreviewStage *preview() const { return &m_preview; }

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
    // Has the encoder make one more frame even if nobody watches, so that the newest frame
    // (what a new viewer sees first, /snapshot?cached=1, the kiosk's preview) shows what the
    // viewers would see now: the first picture, another source, the source gone or back, the
    // privacy placeholder.
    void refreshLatest();
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

    PipelineConfig m_config;
    QString m_restoredCamera; // whose saved control values were applied
    CameraControls m_controls; // as last announced
    quint64 m_localRequests = 0;
    // Requests with a `who`, until the source answers them: who, and the controls named.
    QHash<quint64, QPair<QString, QStringList>> m_noticeRequests;
    QString m_errorString;
    QThread *m_captureThread = nullptr; // the current source's; frees itself when done
    QThread m_encodeThread;
    FrameSource *m_source = nullptr;
    JpegEncoder *m_encoder = nullptr;
    // The smaller sizes and other qualities (issue 18), each encoded only while watched.
    std::unique_ptr<ProfileEncoders> m_profileEncoders;
    StreamServer m_server;
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
