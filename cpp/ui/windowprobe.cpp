#include "windowprobe.h"

#include "livepicture.h"

#include <QCoreApplication>
#include <QImage>
#include <QLoggingCategory>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcProbe, "kiosk.probe")

namespace {
// Every LivePicture on the screen, in the order the scene draws them. The visual tree, not the
// object tree: a Repeater's items (the grid's tiles) are not QObject children of the window.
void collectPictures(QQuickItem *item, QList<LivePicture *> *pictures)
{
    if (auto *picture = qobject_cast<LivePicture *>(item))
        pictures->append(picture);
    const auto children = item->childItems();
    for (QQuickItem *child : children)
        collectPictures(child, pictures);
}

QList<LivePicture *> livePictures(QQuickWindow *window)
{
    QList<LivePicture *> pictures;
    collectPictures(window->contentItem(), &pictures);
    return pictures;
}
} // namespace

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
    const QString zoom = qEnvironmentVariable("KIOSK_ZOOM");
    if (grabPath.isEmpty() && statsSeconds <= 0 && zoom.isEmpty())
        return;
    auto *probe = new WindowProbe(window);
    if (!zoom.isEmpty())
        probe->zoomPictures(zoom);
    if (!grabPath.isEmpty()) {
        bool ok = false;
        double after = qEnvironmentVariable("KIOSK_GRAB_AFTER").toDouble(&ok);
        if (!ok || after < 0)
            after = 3;
        QTimer::singleShot(int(after * 1000), probe, [probe, grabPath] { probe->grab(grabPath); });
        bool cameraGiven = false;
        const int camera = qEnvironmentVariableIntValue("KIOSK_GRAB_CAMERA", &cameraGiven);
        if (cameraGiven) // with time for the first pictures of that camera
            QTimer::singleShot(int(std::max(0.0, after - 2) * 1000), probe,
                               [probe, camera] { probe->showCamera(camera); });
        const QString field = qEnvironmentVariable("KIOSK_GRAB_SETTINGS");
        if (!field.isEmpty()) // with time for the slide before the grab
            QTimer::singleShot(int(std::max(0.0, after - 2) * 1000), probe,
                               [probe, field] { probe->openSettings(field); });
    }
    if (statsSeconds > 0) {
        // Recording may start late, to leave out start-up and the arrival of a test's viewers.
        const int afterSeconds
            = std::max(0, qEnvironmentVariableIntValue("KIOSK_FRAME_STATS_AFTER"));
        QTimer::singleShot(afterSeconds * 1000, probe,
                           [probe, statsSeconds] { probe->startFrameStats(statsSeconds); });
    }
}

void WindowProbe::zoomPictures(const QString &spec)
{
    const QStringList parts = spec.split(QLatin1Char('@'));
    const QStringList at = parts.value(1, QStringLiteral("0.5,0.5")).split(QLatin1Char(','));
    bool factorOk = false, xOk = false, yOk = false;
    const double factor = parts[0].toDouble(&factorOk);
    const QPointF where(at.value(0).toDouble(&xOk), at.value(1).toDouble(&yOk));
    if (parts.size() > 2 || at.size() != 2 || !factorOk || !xOk || !yOk) {
        qCWarning(lcProbe).noquote() << "KIOSK_ZOOM" << spec << "is not factor[@x,y]; not zoomed";
        return;
    }
    // Each picture once it has a painted rectangle (its first picture) to zoom into.
    auto *poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll, factor, where] {
        const auto pictures = livePictures(m_window);
        bool waiting = pictures.isEmpty();
        for (LivePicture *picture : pictures) {
            const QRectF rect = picture->paintedRect();
            if (rect.isEmpty())
                waiting = true;
            else if (picture->zoom() == 1)
                picture->zoomAt(factor,
                                QPointF(rect.x() + where.x() * rect.width(),
                                        rect.y() + where.y() * rect.height()));
        }
        if (!waiting)
            poll->deleteLater();
    });
    poll->start(100);
}

void WindowProbe::startFrameStats(int seconds)
{
    // Direct: frameSwapped comes from the render thread when there is one. The pictures live as
    // long as the window (the grid's tiles too, while no camera is added or removed: not during
    // a measurement); their counters are atomic.
    connect(
        m_window, &QQuickWindow::frameSwapped, this,
        [this, pictures = livePictures(m_window)] {
            const qint64 now = m_clock.nsecsElapsed();
            double drawn = 0;
            for (const LivePicture *picture : pictures)
                drawn += picture->framesDrawn();
            QMutexLocker lock(&m_mutex);
            if (m_lastSwapNs >= 0) {
                m_intervalsNs.append(now - m_lastSwapNs);
                if (!pictures.isEmpty() && drawn == m_picturesAtLastSwap)
                    ++m_framesWithoutPicture;
            }
            m_lastSwapNs = now;
            m_picturesAtLastSwap = drawn;
        },
        Qt::DirectConnection);
    m_statsStartNs = m_clock.nsecsElapsed();
    const auto pictures = livePictures(m_window);
    for (const LivePicture *picture : pictures) {
        const double drawn = picture->framesDrawn();
        m_pictures.append({picture->objectName(), drawn, drawn, {}});
    }
    auto *sampler = new QTimer(this);
    connect(sampler, &QTimer::timeout, this, &WindowProbe::samplePictures);
    sampler->start(1000);
    QTimer::singleShot(seconds * 1000 + 50, this, &WindowProbe::reportFrameStats);
}

void WindowProbe::samplePictures()
{
    const auto pictures = livePictures(m_window);
    for (qsizetype i = 0; i < m_pictures.size() && i < pictures.size(); ++i) {
        const double drawn = pictures[i]->framesDrawn();
        m_pictures[i].perSecond.append(drawn - m_pictures[i].last);
        m_pictures[i].last = drawn;
    }
}

void WindowProbe::openSettings(const QString &field)
{
    auto *panel = m_window->findChild<QQuickItem *>(QStringLiteral("settingsPanel"));
    auto *flick = m_window->findChild<QQuickItem *>(QStringLiteral("settingsFlick"));
    QQuickItem *row = nullptr;
    if (flick) {
        const auto items = flick->findChildren<QQuickItem *>();
        const auto it = std::find_if(items.begin(), items.end(), [&](const QQuickItem *item) {
            return item->property("field").toString() == field;
        });
        row = it != items.end() ? *it : nullptr;
    }
    if (!panel || !row) {
        qCCritical(lcProbe).noquote() << "no settings field" << field << "to show";
        QCoreApplication::exit(1);
        return;
    }
    // As the Settings button does.
    QMetaObject::invokeMethod(panel, "load");
    m_window->setProperty("settingsOpen", true);
    const double top
        = row->mapToItem(flick->property("contentItem").value<QQuickItem *>(), QPointF()).y();
    const double bottom = flick->property("contentHeight").toDouble() - flick->height();
    flick->setProperty("contentY", std::clamp(top, 0.0, std::max(0.0, bottom)));
}

void WindowProbe::showCamera(int index)
{
    // As a tap on its tile does.
    QMetaObject::invokeMethod(m_window, "showCamera", Q_ARG(QVariant, index));
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
    int withoutPicture = 0;
    {
        QMutexLocker lock(&m_mutex);
        intervals = m_intervalsNs;
        withoutPicture = m_framesWithoutPicture;
    }
    std::sort(intervals.begin(), intervals.end());
    if (intervals.isEmpty()) {
        qCWarning(lcProbe) << "no frames were swapped";
    } else {
        auto ms = [](qint64 ns) { return QString::number(ns / 1e6, 'f', 2); };
        const qsizetype n = intervals.size();
        qCInfo(lcProbe).noquote()
            << "frame intervals:" << n << "frames, median" << ms(intervals[n / 2]) << "ms, p99"
            << ms(intervals[std::min(n - 1, n * 99 / 100)]) << "ms, max" << ms(intervals.last())
            << "ms," << QString::number(n * 1e9 / (m_clock.nsecsElapsed() - m_statsStartNs), 'f', 1)
            << "frames/s;" << withoutPicture << "frames without a new camera picture";
    }
    const double seconds = (m_clock.nsecsElapsed() - m_statsStartNs) / 1e9;
    const auto pictures = livePictures(m_window);
    for (qsizetype i = 0; i < m_pictures.size() && i < pictures.size(); ++i) {
        const PictureCount &p = m_pictures[i];
        const double drawn = pictures[i]->framesDrawn() - p.first;
        const auto [fewest, most] = std::minmax_element(p.perSecond.begin(), p.perSecond.end());
        qCInfo(lcProbe).noquote() << "picture" << p.name << "drew" << drawn << "distinct frames in"
                                  << QString::number(seconds, 'f', 2) << "s,"
                                  << QString::number(drawn / seconds, 'f', 1)
                                  << "per second; in whole seconds: fewest"
                                  << (p.perSecond.isEmpty() ? 0 : *fewest) << "most"
                                  << (p.perSecond.isEmpty() ? 0 : *most);
    }
    QCoreApplication::quit();
}
