#include "ui/viewsharing.h"
#include "ui/zoomwindow.h"

#include <QtTest>

#include <cmath>

// The screen's zoom: where a zoomed view is in the picture, kept inside it, and the crop that
// "Share this view" makes of it.
class TestZoomWindow : public QObject
{
    Q_OBJECT

private:
    // The picture's point under `anchor` (view coordinates, 0..1).
    static QPointF under(const ZoomWindow &zoom, QPointF anchor)
    {
        const QRectF v = zoom.viewed();
        return QPointF(v.x() + anchor.x() * v.width(), v.y() + anchor.y() * v.height());
    }
    static bool inside(const ZoomWindow &zoom)
    {
        const QRectF v = zoom.viewed();
        return v.left() >= 0 && v.top() >= 0 && v.right() <= 1 + 1e-12 && v.bottom() <= 1 + 1e-12;
    }

private slots:
    void startsWithTheWholePicture()
    {
        ZoomWindow zoom;
        QCOMPARE(zoom.viewed(), QRectF(0, 0, 1, 1));
        QCOMPARE(zoom.zoom(), 1.0);
        QVERIFY(!zoom.isZoomed());
    }

    void zoomKeepsThePointUnderTheAnchor()
    {
        ZoomWindow zoom;
        zoom.zoomAt(2, QPointF(0.5, 0.5));
        QCOMPARE(zoom.viewed(), QRectF(0.25, 0.25, 0.5, 0.5));
        QCOMPARE(zoom.zoom(), 2.0);
        QVERIFY(zoom.isZoomed());
        const QPointF anchor(0.3, 0.6);
        const QPointF before = under(zoom, anchor);
        zoom.zoomAt(1.5, anchor);
        QCOMPARE(zoom.zoom(), 3.0);
        const QPointF after = under(zoom, anchor);
        QVERIFY(std::abs(after.x() - before.x()) < 1e-9);
        QVERIFY(std::abs(after.y() - before.y()) < 1e-9);
    }

    void zoomAtAnEdgeStaysAtThatEdge()
    {
        ZoomWindow zoom;
        zoom.zoomAt(2, QPointF(0, 0));
        QCOMPARE(zoom.viewed(), QRectF(0, 0, 0.5, 0.5));
        zoom.reset();
        zoom.zoomAt(4, QPointF(1, 1));
        QCOMPARE(zoom.viewed(), QRectF(0.75, 0.75, 0.25, 0.25));
        // An anchor outside the view counts as its nearest edge.
        zoom.reset();
        zoom.zoomAt(2, QPointF(-3, 7));
        QCOMPARE(zoom.viewed(), QRectF(0, 0.5, 0.5, 0.5));
    }

    void zoomIsClampedToOneToEight()
    {
        ZoomWindow zoom;
        zoom.zoomAt(100, QPointF(0.5, 0.5));
        QCOMPARE(zoom.zoom(), ZoomWindow::kMaximumZoom);
        QCOMPARE(zoom.viewed().width(), 1.0 / 8);
        QVERIFY(inside(zoom));
        zoom.zoomAt(1.5, QPointF(0.2, 0.9));
        QCOMPARE(zoom.zoom(), 8.0);
        // Out past 1x: the whole picture again, exactly.
        zoom.zoomAt(0.01, QPointF(0.9, 0.1));
        QCOMPARE(zoom.viewed(), QRectF(0, 0, 1, 1));
        QVERIFY(!zoom.isZoomed());
    }

    void aboutOneIsOne()
    {
        ZoomWindow zoom;
        zoom.zoomAt(3, QPointF(0.2, 0.7));
        // Out again in steps whose product misses 1/3 by a rounding error.
        for (int i = 0; i < 7; ++i)
            zoom.zoomAt(std::pow(1.0 / 3, 1.0 / 7) * (1 + 1e-9), QPointF(0.5, 0.5));
        QVERIFY(!zoom.isZoomed());
        QCOMPARE(zoom.zoom(), 1.0);
        QVERIFY(zoom.viewed() == QRectF(0, 0, 1, 1));
    }

    void badFactorsChangeNothing()
    {
        ZoomWindow zoom;
        zoom.zoomAt(2, QPointF(0.5, 0.5));
        const QRectF before = zoom.viewed();
        for (qreal factor : {0.0, -2.0, qQNaN(), qInf()}) {
            zoom.zoomAt(factor, QPointF(0.5, 0.5));
            QCOMPARE(zoom.viewed(), before);
        }
        zoom.panBy(QPointF(qQNaN(), 0));
        QCOMPARE(zoom.viewed(), before);
    }

    void panFollowsTheFingerWithinThePicture()
    {
        ZoomWindow zoom;
        zoom.panBy(QPointF(0.3, 0.3)); // nothing to pan at 1x
        QCOMPARE(zoom.viewed(), QRectF(0, 0, 1, 1));
        zoom.zoomAt(4, QPointF(0.5, 0.5)); // (0.375, 0.375, 0.25, 0.25)
        // Dragging left by half the view shows what is right of it: half a view further.
        zoom.panBy(QPointF(-0.5, 0));
        QCOMPARE(zoom.viewed(), QRectF(0.5, 0.375, 0.25, 0.25));
        zoom.panBy(QPointF(0, 0.5));
        QCOMPARE(zoom.viewed(), QRectF(0.5, 0.25, 0.25, 0.25));
        // Far past the edges: it stops at them.
        zoom.panBy(QPointF(100, 100));
        QCOMPARE(zoom.viewed(), QRectF(0, 0, 0.25, 0.25));
        zoom.panBy(QPointF(-100, -100));
        QCOMPARE(zoom.viewed(), QRectF(0.75, 0.75, 0.25, 0.25));
        QCOMPARE(zoom.zoom(), 4.0);
    }

    void cropOfTheViewedPart_data()
    {
        QTest::addColumn<QRectF>("viewed");
        QTest::addColumn<QRect>("shown");
        QTest::addColumn<QRect>("crop");
        QTest::newRow("2x centre of 720p")
            << QRectF(0.25, 0.25, 0.5, 0.5) << QRect(0, 0, 1280, 720) << QRect(320, 180, 640, 360);
        QTest::newRow("within a crop in force")
            << QRectF(0.25, 0.25, 0.5, 0.5) << QRect(96, 48, 640, 360) << QRect(256, 138, 320, 180);
        QTest::newRow("8x bottom right, odd size")
            << QRectF(0.875, 0.875, 0.125, 0.125) << QRect(0, 0, 321, 241)
            << QRect(281, 211, 40, 30);
        QTest::newRow("at least a pixel")
            << QRectF(0.5, 0.5, 1e-6, 1e-6) << QRect(0, 0, 100, 100) << QRect(50, 50, 1, 1);
        QTest::newRow("never outside")
            << QRectF(0.9, 0.9, 0.2, 0.2) << QRect(10, 10, 100, 50) << QRect(90, 50, 20, 10);
        QTest::newRow("rotated 720p (720x1280)")
            << QRectF(0, 0.5, 0.5, 0.5) << QRect(0, 0, 720, 1280) << QRect(0, 640, 360, 640);
    }

    void cropOfTheViewedPart()
    {
        QFETCH(QRectF, viewed);
        QFETCH(QRect, shown);
        QFETCH(QRect, crop);
        QCOMPARE(ZoomWindow::cropOf(viewed, shown), crop);
        QVERIFY(shown.contains(crop));
    }

    void noCropOfNothing() { QVERIFY(ZoomWindow::cropOf(QRectF(0, 0, 1, 1), QRect()).isNull()); }

    // The crop's coordinates of the picture on the screen: the crop as applied (snapped)
    // rather than as asked, the asked one until a frame was turned, else the whole frame.
    void shownPartOfTheFrame()
    {
        FrameSource::Info info;
        info.size = QSize(720, 1280);
        QCOMPARE(ViewSharing::shownPart(info), QRect(0, 0, 720, 1280));
        info.transform.crop = QRect(100, 100, 400, 300);
        info.size = QSize(400, 300);
        QCOMPARE(ViewSharing::shownPart(info), QRect(100, 100, 400, 300));
        info.cropApplied = QRect(96, 96, 404, 304);
        info.size = QSize(404, 304);
        QCOMPARE(ViewSharing::shownPart(info), QRect(96, 96, 404, 304));
    }
};

QTEST_GUILESS_MAIN(TestZoomWindow)

#include "tst_zoomwindow.moc"
