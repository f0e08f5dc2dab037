#pragma once

#include "cameracontrols.h"
#include "frametransform.h"
#include "rawframe.h"
#include "sourcefactory.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QSize>
#include <QString>
#include <QTimer>

// A producer of raw frames. Lives on its own (capture) thread; start() and stop() are invoked
// there. Frames go out through frameCaptured(), which the encoder receives directly (it has its
// own latest-wins mailbox), so a source never waits for anybody. Every instance is independent
// (its own timers, on the thread it was moved to), so a process can run several.
//
// What every source shares lives here: what was asked for (SourceOptions), the frame watchdog
// and recovery. A subclass implements open() (try once, call opened() or lost()) and close().
class FrameSource : public QObject
{
    Q_OBJECT
public:
    struct Info
    {
        Info() = default;
        Info(const QString &description, bool online, QSize size, double fps,
             const QString &format = {})
            : description(description)
            , online(online)
            , size(size)
            , fps(fps)
            , format(format)
        { }

        QString description;
        bool online = false;
        QSize size; // what the source actually delivers (a camera may not give what was asked)
        double fps = 0; // likewise
        QString format; // what the device sends, e.g. "MJPEG", "YUYV"; empty when not known
        QString error; // why the source is offline, when it is
        QSize requestedSize; // what was asked for (filled in by the pipeline)
        double requestedFps = 0;
        // Filled in by the pipeline: `size` is then what viewers get, after the transform of
        // the source's `capturedSize`, with the crop as applied (clamped, snapped; null: none).
        QSize capturedSize;
        FrameTransform transform;
        QRect cropApplied;
    };

    // Watchdog::On: a source that delivers no frame for options.timeoutMs after opening (or
    // after its last frame) is closed and reopened, whatever its driver does. For sources whose
    // thread stays free while they wait (V4L2, Qt Multimedia); one that blocks in read() gets
    // its timeout elsewhere.
    enum class Watchdog { Off, On };
    explicit FrameSource(const SourceOptions &options = {}, Watchdog watchdog = Watchdog::Off,
                         QObject *parent = nullptr);

    // Only for the source's own thread; other threads learn the state from infoChanged().
    const Info &info() const { return m_info; }
    const SourceOptions &options() const { return m_options; }
    // Likewise; others get copies from controlsChanged().
    const CameraControls &controls() const { return m_controls; }

public slots:
    // Opens the source (recovering by itself from then on) and stops it again.
    virtual void start();
    virtual void stop();
    // Sets camera controls (queued from other threads). Answers with controlsApplied(), same
    // requestId: the list in force afterwards and, when not everything was applied, why
    // (nothing is applied when a value is refused before it reaches the device). A source
    // without controls answers with its reason.
    virtual void applyControls(quint64 requestId, const ControlValues &values);

signals:
    void frameCaptured(const RawFrame &frame);
    void infoChanged(const FrameSource::Info &info);
    // The whole list, whenever a value or a flag changed (here or by another program).
    void controlsChanged(const CameraControls &controls);
    void controlsApplied(quint64 requestId, const CameraControls &controls, const QString &error);

protected:
    void setInfo(const Info &info);
    void setControls(const CameraControls &controls);
    // The values set since the start (--control, then applyControls()) that `controls` has,
    // for a source to apply again at every open: a replugged camera, back at its defaults,
    // gets them back. Names it lacks and values it cannot take are logged and left out.
    ControlValues wantedControls(const CameraControls &controls) const;
    // `values` were applied: what `inForce` now has for them is wanted from now on (a clamped
    // value as clamped).
    void rememberControls(const ControlValues &values, const CameraControls &inForce);
    // Stamps the next sequence number, feeds the watchdog and emits.
    void emitFrame(RawFrame frame);
    // The device delivered something, if nothing worth emitting (a short frame): not stalled.
    void feedWatchdog();

    // Recovery, shared by every source that can lose its device (camera unplugged, stream
    // dropped): open() tries once and reports opened() or lost(); lost() closes, marks the
    // source offline, says why (logged once per new reason) and has open() called again later.
    // A device node that is absent (setDeviceNode(): an unplugged camera) is watched with a
    // cheap stat() every 150 ms and reopened as soon as it is back, however long it was
    // gone; anything else (a node that is there but fails, a file, a URL) is retried with a
    // back-off from 0.5 s to 10 s. The "no signal" frames viewers get meanwhile are the
    // pipeline's job, not the source's.
    virtual bool open() { return false; }
    virtual void close() { }
    void lost(const QString &why);
    void opened(const Info &info);
    // The file whose absence means the device is unplugged (a V4L2 node); empty for none.
    void setDeviceNode(const QString &path) { m_deviceNode = path; }
    // The same info with online = false (a stopped source).
    void markOffline();

private:
    bool deviceNodeAbsent() const;
    void retry();

    SourceOptions m_options;
    Info m_info;
    quint64 m_sequence = 0;
    QString m_deviceNode;
    QTimer m_watchdog;
    bool m_watchdogEnabled = false;
    QTimer m_reopenTimer;
    QDeadlineTimer m_reopenDue; // with a device node: when a present node is tried again
    int m_backoffMs = 0;
    QString m_lastError;
    CameraControls m_controls;
    QList<QPair<QString, QString>> m_wantedControls; // name → value as text, in order set
};

Q_DECLARE_METATYPE(FrameSource::Info)
