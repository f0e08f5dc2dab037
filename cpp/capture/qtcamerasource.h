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
// Controls: what QCamera offers and says the device supports (QtCameraControls), re-read when
// the camera announces a change.
class QtCameraSource : public FrameSource
{
    Q_OBJECT
public:
    explicit QtCameraSource(const SourceOptions &options, QObject *parent = nullptr);
    ~QtCameraSource() override;

    // Every Qt Multimedia camera with its formats, for --list-sources.
    static QString describeDevices();

public slots:
    void applyControls(quint64 requestId, const ControlValues &values) override;

protected:
    bool open() override;
    void close() override;

private:
    void onFrame(const QVideoFrame &frame);
    // Reads what the camera offers now (QtCameraControls) and publishes it when it changed; the
    // first time after an open, the values wanted so far are applied.
    void readControls();

    QString m_name; // the part after "qt:"
    std::unique_ptr<QMediaCaptureSession> m_session;
    std::unique_ptr<QCamera> m_camera;
    std::unique_ptr<QVideoSink> m_sink;
    QString m_cameraName; // the device's description, under which its values are saved
    bool m_controlsRestored = false; // the wanted values went to this open's camera
};
