#pragma once

#include "framesource.h"
#include "imagepool.h"

#include <QElapsedTimer>
#include <QImage>
#include <QTimer>

// The built-in source: colour bars, a block sweeping across, a clock with milliseconds and the
// frame counter. Motion shows that frames flow; the clock, held next to a viewer's own clock,
// shows the latency.
class TestPatternSource : public FrameSource
{
    Q_OBJECT
public:
    TestPatternSource(QSize size, double fps, QObject *parent = nullptr);

public slots:
    void start() override;
    void stop() override;

private:
    void renderNext();
    QImage makeBackground() const;

    QTimer m_timer;
    QImage m_background;
    ImagePool m_pool;
    quint64 m_frames = 0;
};
