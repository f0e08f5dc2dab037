#include "windowprobe.h"

#include <QCoreApplication>
#include <QImage>
#include <QLoggingCategory>
#include <QQuickWindow>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcProbe, "kiosk.probe")

WindowProbe::WindowProbe(QQuickWindow *window)
    : QObject(window)
    , m_window(window)
{
    m_clock.start();
}

void WindowProbe::installFromEnvironment(QQuickWindow *window)
{
    const QString grabPath = qEnvironmentVariable("KIOSK_GRAB");
    const int statsSeconds = qEnvironmentVariableIntValue("KIOSK_FRAME_STATS");
    if (grabPath.isEmpty() && statsSeconds <= 0)
        return;
    auto *probe = new WindowProbe(window);
    if (!grabPath.isEmpty()) {
        bool ok = false;
        double after = qEnvironmentVariable("KIOSK_GRAB_AFTER").toDouble(&ok);
        if (!ok || after < 0)
            after = 3;
        QTimer::singleShot(int(after * 1000), probe, [probe, grabPath] { probe->grab(grabPath); });
    }
    if (statsSeconds > 0) {
        // Recording may start late, to leave out start-up and the arrival of a test's viewers.
        const int afterSeconds
            = std::max(0, qEnvironmentVariableIntValue("KIOSK_FRAME_STATS_AFTER"));
        QTimer::singleShot(afterSeconds * 1000, probe, [probe, window, statsSeconds] {
            // Direct: frameSwapped comes from the render thread when there is one.
            connect(
                window, &QQuickWindow::frameSwapped, probe,
                [probe] {
                    const qint64 now = probe->m_clock.nsecsElapsed();
                    QMutexLocker lock(&probe->m_mutex);
                    if (probe->m_lastSwapNs >= 0)
                        probe->m_intervalsNs.append(now - probe->m_lastSwapNs);
                    probe->m_lastSwapNs = now;
                },
                Qt::DirectConnection);
            QTimer::singleShot(statsSeconds * 1000, probe, &WindowProbe::reportFrameStats);
        });
    }
}

void WindowProbe::grab(const QString &path)
{
    const QImage image = m_window->grabWindow();
    if (image.isNull() || !image.save(path)) {
        qCCritical(lcProbe).noquote() << "could not save the window to" << path;
        QCoreApplication::exit(1);
        return;
    }
    qCInfo(lcProbe).noquote() << "saved" << image.width() << "x" << image.height() << "to" << path;
    QCoreApplication::quit();
}

void WindowProbe::reportFrameStats()
{
    QList<qint64> intervals;
    {
        QMutexLocker lock(&m_mutex);
        intervals = m_intervalsNs;
    }
    std::sort(intervals.begin(), intervals.end());
    if (intervals.isEmpty()) {
        qCWarning(lcProbe) << "no frames were swapped";
    } else {
        auto ms = [](qint64 ns) { return QString::number(ns / 1e6, 'f', 2); };
        const qsizetype n = intervals.size();
        qCInfo(lcProbe).noquote() << "frame intervals:" << n << "frames, median"
                                  << ms(intervals[n / 2]) << "ms, p99"
                                  << ms(intervals[std::min(n - 1, n * 99 / 100)]) << "ms, max"
                                  << ms(intervals.last()) << "ms";
    }
    QCoreApplication::quit();
}
