#pragma once

#include "sourcefactory.h"

#include <QtPlugin>

// Sources whose libraries are heavy live in plugins (OpenCV pulls in GDAL, Poppler and
// FFmpeg, about 40 MiB of mapped pages; Qt Multimedia pulls in PulseAudio), loaded by
// createFrameSource() only when a --source needs them, so a kiosk on its V4L2 camera or on the
// test pattern never maps them.
class SourcePlugin
{
public:
    virtual ~SourcePlugin() = default;
    virtual FrameSource *create(const SourceOptions &options) = 0;
    // The cameras this kind of source can open, with formats (for --list-sources); empty if
    // it has no devices to list.
    virtual QString describeDevices() const { return {}; }
};

#define KioskSourcePlugin_iid "org.mjpeg-kiosk.SourcePlugin/1.0"
Q_DECLARE_INTERFACE(SourcePlugin, KioskSourcePlugin_iid)
