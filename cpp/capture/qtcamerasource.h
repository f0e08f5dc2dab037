#pragma once

#include "framesource.h"

#include <memory>

class QCamera;
class QMediaCaptureSession;
class QVideoFrame;
class QVideoSink;

// A camera through Qt Multimedia (QCamera + QVideoSink): "qt:" for the default camera, or
// "qt:<id>" / "qt:<description>" as QMediaDevices::videoInputs() names them. Qt picks the
// camera format closest to the requested size and rate; JPEG frames are passed through when
// the camera delivers them, other formats are converted to an image. FrameSource's watchdog
// notices a camera that stops delivering; the camera is then rebuilt with back-off (or, for a
// "qt:/dev/videoN" id, as soon as that node is back after an unplug).
class QtCameraSource : public FrameSource
{
    Q_OBJECT
public:
    explicit QtCameraSource(const SourceOptions &options, QObject *parent = nullptr);
    ~QtCameraSource() override;

    // Every Qt Multimedia camera with its formats, for --list-sources.
    static QString describeDevices();

protected:
    bool open() override;
    void close() override;

private:
    void onFrame(const QVideoFrame &frame);

    QString m_name; // the part after "qt:"
    std::unique_ptr<QMediaCaptureSession> m_session;
    std::unique_ptr<QCamera> m_camera;
    std::unique_ptr<QVideoSink> m_sink;
};
