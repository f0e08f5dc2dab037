#pragma once

#include "core/clock.h"

#include <QByteArray>
#include <QImage>
#include <QMetaType>

// One captured picture, before encoding. Implicitly shared members make it cheap to pass
// between threads by value; nobody writes to a RawFrame after the source has emitted it.
struct RawFrame
{
    enum class Kind {
        Image, // `image` holds the pixels (QImage::Format_RGB32, RGB888 or BGR888)
        Jpeg, // `jpeg` holds an already encoded JPEG (MJPEG camera pass-through)
        I420, // `image` (Format_Grayscale8, width x height*3/2) holds Y, then U, then V planes;
              // see i420Planes(). YUYV cameras: encoded without any RGB conversion.
    };

    Kind kind = Kind::Image;
    quint64 sequence = 0;
    qint64 captureTimeUs = 0; // wall clock (µs since the Unix epoch) when the frame was taken
    bool live = true; // false for the "no signal" placeholder a failed source sends
    QImage image;
    QByteArray jpeg;
    int width = 0;
    int height = 0;

    bool isValid() const { return width > 0 && height > 0; }
};

Q_DECLARE_METATYPE(RawFrame)

// Where the three planes of a Kind::I420 frame lie inside its image: Y (width x height, stride
// bytesPerLine), then U and V (half width, half height rounded up, stride bytesPerLine / 2).
struct I420Planes
{
    uchar *plane[3] = {};
    int stride[3] = {};
};
I420Planes i420Planes(QImage &image, int width, int height);
// The same planes for reading only: no detach, so the encoder and the preview, which share one
// frame, never copy it.
struct I420ConstPlanes
{
    const uchar *plane[3] = {};
    int stride[3] = {};
};
I420ConstPlanes i420Planes(const QImage &image, int width, int height);
// Packed YUYV (4:2:2) rows → I420 planes, chroma averaged over row pairs (v4l2source.cpp).
void yuyvToI420(const uchar *src, int srcStride, int width, int height, const I420Planes &planes);
// The image size that holds a width x height I420 frame (width must be even).
inline QSize i420ImageSize(int width, int height)
{
    return QSize(width, height + (height + 1) / 2);
}
