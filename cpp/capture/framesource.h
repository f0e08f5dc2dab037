#pragma once

#include "rawframe.h"

#include <QObject>
#include <QSize>
#include <QString>
#include <QTimer>

// A producer of raw frames. Lives on its own (capture) thread; start() and stop() are invoked
// there. Frames go out through frameCaptured(), which the encoder receives directly (it has its
// own latest-wins mailbox), so a source never waits for anybody.
class FrameSource : public QObject
{
    Q_OBJECT
public:
    struct Info
    {
        Info() = default;
        Info(const QString &description, bool online, QSize size, double fps,
             const QString &format = {})
            : description(description)
            , online(online)
            , size(size)
            , fps(fps)
            , format(format)
        { }

        QString description;
        bool online = false;
        QSize size; // what the source actually delivers (a camera may not give what was asked)
        double fps = 0; // likewise
        QString format; // what the device sends, e.g. "MJPEG", "YUYV"; empty when not known
        QString error; // why the source is offline, when it is
        QSize requestedSize; // what was asked for (filled in by the pipeline)
        double requestedFps = 0;
    };

    explicit FrameSource(QObject *parent = nullptr);

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

    // Sources that can lose their device (camera unplugged, stream dropped) share this: open()
    // tries once; openFailed()/lost() mark the source offline, say why (logged once per new
    // reason) and call open() again later, backing off from 0.5 s to 10 s. The "no signal"
    // frames viewers get meanwhile are the pipeline's job, not the source's.
    virtual bool open() { return false; }
    void lost(const QString &why);
    void opened(const Info &info);
    void stopReopening();
    // The same info with online = false (a stopped source).
    void markOffline();

private:
    Info m_info;
    quint64 m_sequence = 0;
    QTimer m_reopenTimer;
    int m_backoffMs = 0;
    QString m_lastError;
};

Q_DECLARE_METATYPE(FrameSource::Info)
