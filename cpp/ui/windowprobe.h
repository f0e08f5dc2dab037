#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QMutex>
#include <QObject>

class QQuickWindow;

// Tooling for docs and measurements, switched on by environment variables (nothing happens
// without them):
//   KIOSK_GRAB=out.png [KIOSK_GRAB_AFTER=seconds, default 3]: saves the window as a PNG, then
//     quits (docs/screenshots). KIOSK_GRAB_SETTINGS=FIELD opens the settings panel first and
//     scrolls it to the field of that option (e.g. rotate), for its lower rows;
//     KIOSK_GRAB_CAMERA=index shows that camera of several alone (a tap on its tile).
//   KIOSK_FRAME_STATS=seconds: records the time between frames shown (QQuickWindow::
//     frameSwapped) for that long, logs count, rate, median, 99th percentile and maximum, how
//     many of those frames drew no new camera frame, and the distinct camera frames each
//     LivePicture drew (in total, and the fewest and most in any one second), then quits;
//     KIOSK_FRAME_STATS_AFTER=seconds delays the start.
//   KIOSK_ZOOM=factor[@x,y]: zooms each live picture by `factor` around (x, y), fractions of the
//     picture (default its centre), as soon as it shows one: a pinch for screenshots and
//     measurements where nobody can touch the screen.
class WindowProbe : public QObject
{
    Q_OBJECT
public:
    // Attaches a probe to `window` if the environment asks for one.
    static void installFromEnvironment(QQuickWindow *window);

private:
    explicit WindowProbe(QQuickWindow *window);
    void grab(const QString &path);
    void openSettings(const QString &field);
    void showCamera(int index);
    void startFrameStats(int seconds);
    void samplePictures();
    void reportFrameStats();
    void zoomPictures(const QString &spec);

    QQuickWindow *m_window;
    QElapsedTimer m_clock;
    QMutex m_mutex; // frameSwapped may come from the render thread
    qint64 m_lastSwapNs = -1;
    QList<qint64> m_intervalsNs;
    // Frames swapped while no LivePicture drew a new camera frame (what the graphs, texts and
    // animations cost on top of the camera), and the pictures' total at the last swap.
    int m_framesWithoutPicture = 0;
    double m_picturesAtLastSwap = -1;
    qint64 m_statsStartNs = 0;
    // Per LivePicture: frames drawn at the start, at the last sample, and per one-second sample.
    struct PictureCount
    {
        QString name;
        double first = 0;
        double last = 0;
        QList<double> perSecond;
    };
    QList<PictureCount> m_pictures;
};
