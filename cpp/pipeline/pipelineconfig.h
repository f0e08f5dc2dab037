#pragma once

#include "capture/frametransform.h"
#include "capture/sourcefactory.h"
#include "http/serverconfig.h"

#include <QSize>
#include <QString>

// What the kiosk's screen does on its own (cpp/ui): who may use its controls and when it
// sleeps. The pipeline keeps it with the rest only so that every option lives in one struct.
struct KioskConfig
{
    QString adminPinHash; // PinHash string (core/pinhash.h); empty: no PIN, controls open
    int lockAfterMinutes = 2; // unlocked controls lock again after this long without a touch
    bool lockSnapshot = true; // Snapshot asks for the PIN too
    int dimAfterMinutes = 0; // 0: never
    int offAfterMinutes = 0; // 0: never
    // Minutes of the day the screen stays off from and to (may wrap midnight); -1: no schedule.
    int scheduleFrom = -1;
    int scheduleTo = -1;
    QString backlight = QStringLiteral("auto"); // auto, none, or a /sys/class/backlight/* folder
    // Degrees clockwise the whole UI turns (touch included) on a screen mounted in portrait or
    // upside down; the picture within it is --rotate's.
    int screenRotation = 0;
};

// One camera's settings: what is asked of its source, how its frames are turned, encoded and
// hidden. Several cameras (issue 19) each have their own; the top level's are the first
// camera's and the defaults of the others (PipelineConfig). The defaults written here are the
// program's defaults (--help and the option table read them).
struct CameraConfig
{
    // The camera's name in URLs (/camera/NAME/stream), /status, /metrics and on the screen:
    // [a-z0-9-], 1 to 32 characters (checkCameraName()). --source names its camera "main".
    QString name = QStringLiteral("main");
    // What is asked of the source, with the source's own defaults (written once, there).
    QString source = SourceOptions().spec;
    QSize resolution = SourceOptions().size;
    double fps = SourceOptions().fps;
    int quality = 80;

    // Camera sources (README "Camera sources").
    // auto: MJPEG cameras are passed through unless --quality or --overlay asks for a
    // re-encode; cpu: always encode here (YUYV preferred); passthrough: always pass through.
    enum class Encoder { Auto, Cpu, Passthrough };
    Encoder encoder = Encoder::Auto;
    bool qualityForced = false; // --quality given (or changed at run time)
    // No frame for this long: "no signal", source reopened.
    int sourceTimeoutMs = SourceOptions().timeoutMs;
    QString overlay; // strftime text burned into live frames; empty: none
    QStringList controls; // camera controls, NAME=VALUE (--control), applied at every open
    int dropSameFrames = 0; // 0: off; N: skip identical frames, but send every N+1th
    // --rotate, --flip, --crop: applied once per frame on the capture thread (Camera).
    FrameTransform transform;
    bool privacy = false; // starts hidden: viewers and the screen get the placeholder
    // Whether MJPEG from the camera would be streamed as it is, and so should be asked for.
    bool passThroughJpeg() const;

    // Empty for a good name, else what is wrong with it (naming `name`).
    static QString checkCameraName(const QString &name);
    // An explicit limit: each camera costs threads and memory whether watched or not.
    static constexpr int kMaxCameras = 16;
    // Empty when these cameras can run together, else why not: a bad or repeated name, two on
    // one device (a /dev/v4l/by-id link and the node it names are one), file or URL, more than
    // kMaxCameras. Test patterns may repeat.
    static QString checkCameraList(const QList<CameraConfig> &cameras);
    // What two cameras may not share: the device node (resolved), file or URL; empty for a
    // test pattern.
    static QString exclusiveSource(const QString &spec);
};

// Everything that shapes the capture → encode → serve pipeline: the cameras, the server, the
// screen. The checks below serve the option table (optiontable.h), which the command line, the
// config file and the settings panel share: each returns an empty string for a good value and
// otherwise says what is wrong, naming the option.
struct PipelineConfig : CameraConfig
{
    ServerConfig server;
    KioskConfig kiosk;
    // The cameras, in order (the first is the one /stream serves), each complete. Empty: one
    // camera, this struct's own CameraConfig (named "main" by --source). Filled from --camera
    // NAME=SPEC and the config file's [camera NAME] sections, each starting from the top
    // level's camera settings (cameraList()).
    QList<CameraConfig> cameras;
    // The cameras the pipeline runs: `cameras`, or the top level's one camera.
    QList<CameraConfig> cameraList() const;

    // "HH:MM-HH:MM" (from-to, may wrap midnight) or "" for none; -1 for none.
    static QString parseSchedule(const QString &text, int *from, int *to);
    static QString scheduleText(int from, int to);
    static QString parseResolution(const QString &text, QSize *out);
    static QString encoderName(Encoder encoder);
    static QString parseEncoder(const QString &text, Encoder *out);
    // --profiles: "full,640,320"; 0 stands for "full" in the list.
    static QString parseProfiles(const QString &text, QList<int> *widths);
    static QString profilesText(const QList<int> &widths);
    static QString hostName(const QHostAddress &host); // what parseHost takes back
    static QString parseHost(const QString &text, QHostAddress *out);
    // A whole number from min to max.
    static QString parsePositive(const QString &name, const QString &text, int min, int max,
                                 int *out);
    // A decimal number from min to max; `unit` is said in the message (" of seconds").
    static QString parseNumber(const QString &name, const QString &text, double min, double max,
                               const QString &unit, double *out);
};
