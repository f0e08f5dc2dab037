#pragma once

#include "rawframe.h"

#include <QObject>
#include <QSize>
#include <QString>

// A producer of raw frames. Lives on its own (capture) thread; start() and stop() are invoked
// there. Frames go out through frameCaptured(), which the encoder receives directly (it has its
// own latest-wins mailbox), so a source never waits for anybody.
class FrameSource : public QObject
{
    Q_OBJECT
public:
    struct Info
    {
        QString description;
        bool online = false;
        QSize size;
        double fps = 0;
    };

    using QObject::QObject;

    // Only for the source's own thread; other threads learn the state from infoChanged().
    const Info &info() const { return m_info; }

public slots:
    virtual void start() = 0;
    virtual void stop() = 0;

signals:
    void frameCaptured(const RawFrame &frame);
    void infoChanged(const FrameSource::Info &info);

protected:
    void setInfo(const Info &info);
    // Stamps the next sequence number and emits.
    void emitFrame(RawFrame frame);

private:
    Info m_info;
    quint64 m_sequence = 0;
};

Q_DECLARE_METATYPE(FrameSource::Info)
