#pragma once

#include "framesource.h"
#include "imagepool.h"

#include <QTimer>

#include <memory>

namespace cv {
class VideoCapture;
}

// Video file (looped at its own rate), network URL, or (with the "opencv:" prefix) a camera
// through OpenCV's own V4L2 backend, all via OpenCV's VideoCapture. Reading may block until
// the next frame, which is why a source owns a thread of its own; network reads give up after
// the source timeout (FFmpeg's read timeout) so a dropped stream is noticed and reopened.
class OpenCvSource : public FrameSource
{
    Q_OBJECT
public:
    enum class Kind { Camera, File, Url };

    // options.spec without the "opencv:" prefix.
    explicit OpenCvSource(const SourceOptions &options, QObject *parent = nullptr);
    ~OpenCvSource() override;

    static Kind kindOf(const QString &spec);

protected:
    bool open() override;
    void close() override;

private:
    void readNext();

    Kind m_kind;
    std::unique_ptr<cv::VideoCapture> m_capture;
    QTimer m_readTimer; // paces reads: 0 ms when read() blocks, the file's own rate for files
    ImagePool m_pool;
    int m_consecutiveFailures = 0;
};
