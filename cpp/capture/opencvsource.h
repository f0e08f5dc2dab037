#pragma once

#include "framesource.h"
#include "imagepool.h"

#include <QTimer>

#include <memory>

namespace cv {
class VideoCapture;
}

// Camera (index or /dev/videoN), video file (looped at its own rate) or network URL, through
// OpenCV's VideoCapture. Reading blocks until the camera has a frame, which is why a source
// owns a thread of its own. On failure it sends "no signal" frames and reopens with backoff.
class OpenCvSource : public FrameSource
{
    Q_OBJECT
public:
    enum class Kind { Camera, File, Url };

    OpenCvSource(const QString &spec, QSize size, double fps, QObject *parent = nullptr);
    ~OpenCvSource() override;

    static Kind kindOf(const QString &spec);

public slots:
    void start() override;
    void stop() override;

private:
    bool open();
    void close();
    void readNext();
    void fail(const QString &why);
    void sendNoSignal();

    QString m_spec;
    Kind m_kind;
    QSize m_requestedSize;
    double m_requestedFps;
    std::unique_ptr<cv::VideoCapture> m_capture;
    QTimer m_readTimer;     // paces reads: 0 ms for cameras (read() blocks), the file's rate for files
    QTimer m_reopenTimer;   // backoff between attempts to reopen
    QTimer m_noSignalTimer; // keeps viewers fed while the source is away
    int m_backoffMs = 500;
    QString m_lastError;
    ImagePool m_pool;
    int m_consecutiveFailures = 0;
};
