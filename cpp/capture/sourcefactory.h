#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>

class FrameSource;

// What a source is asked for. A camera may deliver another size or rate; FrameSource::Info
// says what it actually gives.
struct SourceOptions
{
    QString spec = QStringLiteral("test");
    QSize size{1280, 720};
    double fps = 30;
    // Ask MJPEG-capable cameras for JPEG (pass-through) rather than raw pixels.
    bool preferJpeg = true;
    // A source that delivers nothing for this long is closed and reopened.
    int timeoutMs = 2000;
    // Camera controls to apply at every open ("brightness=10", "auto_exposure=Manual Mode"):
    // --control, the config file and the values saved for this camera. Sources without
    // controls ignore them.
    QStringList controls = {};
};

// Builds the source a --source value names: "test" for the pattern, a camera index or
// /dev/videoN (V4L2), "qt:" or "qt:<id or description>" (Qt Multimedia), "opencv:<spec>"
// (OpenCV's own capture, for cameras the V4L2 source cannot read), a file path or a URL.
// OpenCV and Qt Multimedia sources come from plugins (sourceplugin.h); if the one needed
// cannot be loaded, the source returned stays offline with the reason, which also goes to
// *error.
FrameSource *createFrameSource(const SourceOptions &options, QString *error = nullptr);

// Lets a program (the tests) add sources of its own, selected by "<scheme>:..." specs.
using SourceFactory = std::function<FrameSource *(const SourceOptions &)>;
void registerSourceScheme(const QString &scheme, SourceFactory factory);

// Every camera the machine has (V4L2 and Qt Multimedia), with formats; for --list-sources.
QString describeSources();
