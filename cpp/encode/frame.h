#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QSize>

#include <memory>

// One encoded frame: immutable once made, shared by every consumer (viewers, snapshot) by
// reference count; copying a Frame copies a pointer.
class Frame
{
public:
    Frame() = default;
    Frame(quint64 sequence, qint64 captureTimeUs, QByteArray jpeg, QSize size, bool live,
          int profile = 0);

    bool isNull() const { return !d; }
    quint64 sequence() const { return d ? d->sequence : 0; }
    qint64 captureTimeUs() const { return d ? d->captureTimeUs : 0; }
    // The JPEG: the bytes every viewer is sent, never copied per viewer.
    const QByteArray &jpeg() const;
    // False for placeholder frames sent while the source is offline.
    bool isLive() const { return d && d->live; }
    QSize size() const { return d ? d->size : QSize(); }
    // The output profile it was made for (issue 18): 0 the full size, as the camera's JPEGs or
    // the main encoder make it; other ids are smaller sizes or other qualities, each viewer
    // getting the frames of its own.
    int profile() const { return d ? d->profile : 0; }

private:
    struct Data
    {
        quint64 sequence;
        qint64 captureTimeUs;
        QByteArray jpeg;
        QSize size;
        bool live;
        int profile;
    };
    std::shared_ptr<const Data> d;
};

Q_DECLARE_METATYPE(Frame)
