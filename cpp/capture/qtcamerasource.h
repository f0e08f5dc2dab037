#pragma once

#include "framesource.h"

#include <QTimer>

#include <memory>

class QCamera;
class QMediaCaptureSession;
class QVideoFrame;
class QVideoSink;

// A camera through Qt Multimedia (QCamera + QVideoSink): "qt:" for the default camera, or
// "qt:<id>" / "qt:<description>" as QMediaDevices::videoInputs() names them. Qt picks the
// camera format closest to the requested size and rate; JPEG frames are passed through when
// the camera delivers them, other formats are converted to an image. A watchdog timer notices
// a camera that stops delivering; the camera is then rebuilt with backoff.
class QtCameraSource : public FrameSource
{
    Q_OBJECT
public:
    QtCameraSource(const QString &spec, QSize size, double fps, bool preferJpeg, int timeoutMs,
                   QObject *parent = nullptr);
    ~QtCameraSource() override;

    // Every Qt Multimedia camera with its formats, for --list-sources.
    static QString describeDevices();

public slots:
    void start() override;
    void stop() override;

protected:
    bool open() override;

private:
    void close();
    void onFrame(const QVideoFrame &frame);

    QString m_spec;
    QString m_name; // the part after "qt:"
    QSize m_requestedSize;
    double m_requestedFps;
    bool m_preferJpeg;
    int m_timeoutMs;
    std::unique_ptr<QMediaCaptureSession> m_session;
    std::unique_ptr<QCamera> m_camera;
    std::unique_ptr<QVideoSink> m_sink;
    QTimer m_watchdog;
};
