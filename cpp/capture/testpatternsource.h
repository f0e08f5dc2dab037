#pragma once

#include "framesource.h"
#include "imagepool.h"

#include <QElapsedTimer>
#include <QImage>
#include <QTimer>

// The built-in source: colour bars, a block sweeping across, a clock with milliseconds and the
// frame counter. Motion shows that frames flow; the clock, held next to a viewer's own clock,
// shows the latency. "test:LABEL" writes LABEL on it and starts the bars at another colour, so
// that several test patterns (several cameras, issue 19) are told apart at a glance.
class TestPatternSource : public FrameSource
{
    Q_OBJECT
public:
    TestPatternSource(QSize size, double fps, const QString &label = {}, QObject *parent = nullptr);

public slots:
    void start() override;
    void stop() override;

private:
    void renderNext();
    QImage makeBackground() const;

    QString description() const;

    QString m_label;
    QTimer m_timer;
    QImage m_background;
    ImagePool m_pool;
    quint64 m_frames = 0;
};
