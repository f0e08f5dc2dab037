#pragma once

#include <QByteArray>
#include <QImage>
#include <QMetaType>

// One captured picture, before encoding. Implicitly shared members make it cheap to pass
// between threads by value; nobody writes to a RawFrame after the source has emitted it.
struct RawFrame
{
    enum class Kind {
        Image, // `image` holds the pixels (QImage::Format_RGB32, RGB888 or BGR888)
        Jpeg,  // `jpeg` holds an already encoded JPEG (MJPEG camera pass-through)
    };

    Kind kind = Kind::Image;
    quint64 sequence = 0;
    qint64 captureTimeUs = 0; // wall clock (µs since the Unix epoch) when the frame was taken
    bool live = true;         // false for the "no signal" placeholder a failed source sends
    QImage image;
    QByteArray jpeg;
    int width = 0;
    int height = 0;

    bool isValid() const { return width > 0 && height > 0; }
};

Q_DECLARE_METATYPE(RawFrame)

// Microseconds since the Unix epoch; the unit of every capture timestamp.
qint64 wallClockUs();
