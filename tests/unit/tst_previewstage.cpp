#include "capture/planescaler.h"
#include "encode/jpegencoder.h"
#include "preview/previewstage.h"

#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

namespace {
// Left half red, right half blue: colours that must survive every path, and an edge whose
// position shows the picture was not shifted or stretched.
QImage halves(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    QPainter p(&image);
    p.fillRect(0, 0, size.width() / 2, size.height(), Qt::red);
    p.fillRect(size.width() / 2, 0, size.width() - size.width() / 2, size.height(), Qt::blue);
    return image;
}

RawFrame imageFrame(const QImage &image, quint64 sequence)
{
    RawFrame frame;
    frame.kind = RawFrame::Kind::Image;
    frame.image = image;
    frame.width = image.width();
    frame.height = image.height();
    frame.sequence = sequence;
    return frame;
}

RawFrame jpegFrame(QSize size, quint64 sequence)
{
    RawFrame frame;
    frame.kind = RawFrame::Kind::Jpeg;
    frame.jpeg = JpegEncoder().encode(halves(size), 90);
    frame.width = size.width();
    frame.height = size.height();
    frame.sequence = sequence;
    return frame;
}

// The same halves as I420 planes (BT.601 full range, as JPEG uses): red Y 76 U 85 V 255,
// blue Y 29 U 255 V 107.
RawFrame i420Frame(QSize size, quint64 sequence)
{
    RawFrame frame;
    frame.kind = RawFrame::Kind::I420;
    frame.width = size.width();
    frame.height = size.height();
    frame.sequence = sequence;
    frame.image = QImage(i420ImageSize(size.width(), size.height()), QImage::Format_Grayscale8);
    const I420Planes p = i420Planes(frame.image, size.width(), size.height());
    const int w[3] = {size.width(), (size.width() + 1) / 2, (size.width() + 1) / 2};
    const int h[3] = {size.height(), (size.height() + 1) / 2, (size.height() + 1) / 2};
    const uchar red[3] = {76, 85, 255}, blue[3] = {29, 255, 107};
    for (int i = 0; i < 3; ++i) {
        for (int y = 0; y < h[i]; ++y) {
            uchar *row = p.plane[i] + qsizetype(y) * p.stride[i];
            for (int x = 0; x < w[i]; ++x)
                row[x] = x < w[i] / 2 ? red[i] : blue[i];
        }
    }
    return frame;
}

// Waits for the picture of `sequence` (an empty picture if it never comes).
PreviewPicture pictureOf(PreviewStage &stage, quint64 sequence)
{
    if (!QTest::qWaitFor([&] { return stage.picture().sequence == sequence; }, 10000))
        return {};
    return stage.picture();
}

bool isRed(QColor c)
{
    return c.red() > 220 && c.green() < 40 && c.blue() < 40;
}

bool isBlue(QColor c)
{
    return c.blue() > 220 && c.red() < 40 && c.green() < 40;
}
} // namespace

class TestPreviewStage : public QObject
{
    Q_OBJECT

private slots:
    void fittedSize();
    void everyKindAtTheSizeShown_data();
    void everyKindAtTheSizeShown();
    void largestViewDecides();
    void nothingWithoutAView();
    void sameStillOnce();
    void planeScaler();
};

void TestPreviewStage::fittedSize()
{
    // The 1280x800 kiosk with its info panel: 840 wide for the picture.
    QCOMPARE(PreviewStage::fittedSize(QSize(1280, 720), QSize(840, 700)), QSize(840, 473));
    QCOMPARE(PreviewStage::fittedSize(QSize(1920, 1080), QSize(1280, 800)), QSize(1280, 720));
    // Never larger than the frame.
    QCOMPARE(PreviewStage::fittedSize(QSize(320, 240), QSize(800, 300)), QSize(320, 240));
    QCOMPARE(PreviewStage::fittedSize(QSize(320, 240), QSize(100, 300)), QSize(100, 75));
}

void TestPreviewStage::everyKindAtTheSizeShown_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QSize>("frame");
    QTest::addColumn<QSize>("box");
    QTest::addColumn<QSize>("expected");
    for (const char *kind : {"image", "i420", "jpeg"}) {
        const QString k = QString::fromLatin1(kind);
        QTest::newRow(qPrintable(k + " full"))
            << k << QSize(640, 480) << QSize(1280, 800) << QSize(640, 480);
        QTest::newRow(qPrintable(k + " 1/2"))
            << k << QSize(1280, 720) << QSize(640, 400) << QSize(640, 360);
        QTest::newRow(qPrintable(k + " 0.66"))
            << k << QSize(1280, 720) << QSize(840, 700) << QSize(840, 473);
        QTest::newRow(qPrintable(k + " 0.3"))
            << k << QSize(1920, 1080) << QSize(576, 400) << QSize(576, 324);
        QTest::newRow(qPrintable(k + " odd"))
            << k << QSize(333, 78) << QSize(111, 300) << QSize(111, 26);
    }
}

void TestPreviewStage::everyKindAtTheSizeShown()
{
    QFETCH(QString, kind);
    QFETCH(QSize, frame);
    QFETCH(QSize, box);
    QFETCH(QSize, expected);
    PreviewStage stage;
    QSignalSpy ready(&stage, &PreviewStage::pictureReady);
    stage.setView(stage.addView(), box, true);
    QVERIFY(stage.isActive());
    const RawFrame raw = kind == QLatin1String("image") ? imageFrame(halves(frame), 7)
        : kind == QLatin1String("i420")                 ? i420Frame(frame, 7)
                                                        : jpegFrame(frame, 7);
    stage.submit(raw);
    const PreviewPicture picture = pictureOf(stage, 7);
    QCOMPARE(picture.sequence, quint64(7));
    QVERIFY(!ready.isEmpty());
    QCOMPARE(picture.frameSize, frame);
    QCOMPARE(picture.image.size(), expected);
    QCOMPARE(picture.image.format(), QImage::Format_RGB32);
    // Colours right, edge in the middle (within the scaling's blur).
    const int w = expected.width(), y = expected.height() / 2;
    for (int x : {0, w / 4, w / 2 - 3}) {
        QVERIFY2(isRed(picture.image.pixelColor(x, y)),
                 qPrintable(
                     QStringLiteral("x %1: %2").arg(x).arg(picture.image.pixelColor(x, y).name())));
    }
    // (JPEG's chroma is subsampled and blurred across the edge: a few pixels more there.)
    for (int x : {w / 2 + 3 + w / 32, 3 * w / 4, w - 1}) {
        QVERIFY2(isBlue(picture.image.pixelColor(x, y)),
                 qPrintable(
                     QStringLiteral("x %1: %2").arg(x).arg(picture.image.pixelColor(x, y).name())));
    }
    QCOMPARE(stage.counters().made, quint64(1));
}

void TestPreviewStage::largestViewDecides()
{
    PreviewStage stage;
    const int small = stage.addView();
    const int large = stage.addView();
    stage.setView(small, QSize(160, 120), true);
    stage.setView(large, QSize(320, 240), true);
    stage.submit(imageFrame(halves(QSize(640, 480)), 1));
    QCOMPARE(pictureOf(stage, 1).image.size(), QSize(320, 240));
    stage.setView(large, QSize(320, 240), false); // hidden: no longer counts
    stage.submit(imageFrame(halves(QSize(640, 480)), 2));
    QCOMPARE(pictureOf(stage, 2).image.size(), QSize(160, 120));
    stage.removeView(small);
    QVERIFY(!stage.isActive());
}

void TestPreviewStage::nothingWithoutAView()
{
    PreviewStage stage;
    stage.submit(imageFrame(halves(QSize(64, 48)), 1));
    const int view = stage.addView();
    stage.submit(imageFrame(halves(QSize(64, 48)), 2));
    stage.setView(view, QSize(), true); // zero-sized
    stage.submit(imageFrame(halves(QSize(64, 48)), 3));
    stage.setView(view, QSize(64, 48), false); // hidden
    stage.submit(imageFrame(halves(QSize(64, 48)), 4));
    QVERIFY(!stage.isActive());
    QCOMPARE(stage.counters().submitted, quint64(0));
    stage.setView(view, QSize(64, 48), true);
    stage.submit(imageFrame(halves(QSize(64, 48)), 5));
    QCOMPARE(pictureOf(stage, 5).image.size(), QSize(64, 48));
    QCOMPARE(stage.counters().submitted, quint64(1));
    QCOMPARE(stage.counters().made, quint64(1));
}

void TestPreviewStage::sameStillOnce()
{
    // The privacy placeholder comes with every camera frame but changes once a second.
    PreviewStage stage;
    stage.setView(stage.addView(), QSize(320, 240), true);
    const QImage still = halves(QSize(640, 480));
    stage.submit(imageFrame(still, 1));
    QCOMPARE(pictureOf(stage, 1).sequence, quint64(1));
    for (quint64 i = 2; i <= 5; ++i)
        stage.submit(imageFrame(still, i));
    QTRY_COMPARE_WITH_TIMEOUT(stage.counters().submitted, quint64(5), 5000);
    stage.submit(imageFrame(halves(QSize(640, 480)), 6)); // redrawn: a new picture
    QCOMPARE(pictureOf(stage, 6).sequence, quint64(6));
    QCOMPARE(stage.counters().made, quint64(2));
}

void TestPreviewStage::planeScaler()
{
    // A horizontal ramp keeps its order and its range through every step of the scaler.
    QImage plane(1920, 1080, QImage::Format_Grayscale8);
    for (int y = 0; y < plane.height(); ++y) {
        uchar *row = plane.scanLine(y);
        for (int x = 0; x < plane.width(); ++x)
            row[x] = uchar(x * 256 / plane.width());
    }
    PlaneScaler scaler;
    for (QSize target : {QSize(960, 540), QSize(840, 473), QSize(201, 113), QSize(64, 36)}) {
        QImage out(target, QImage::Format_Grayscale8);
        scaler.scale({plane.constBits(), int(plane.bytesPerLine()), plane.width(), plane.height()},
                     out.bits(), int(out.bytesPerLine()), target.width(), target.height());
        for (int y : {0, target.height() - 1}) {
            const uchar *row = out.constScanLine(y);
            for (int x = 1; x < target.width(); ++x)
                QVERIFY2(row[x] >= row[x - 1],
                         qPrintable(QStringLiteral("%1x%2 at %3")
                                        .arg(target.width())
                                        .arg(target.height())
                                        .arg(x)));
            // Each output sample averages the source around its centre.
            const int mid = target.width() / 2;
            const int expected = (2 * mid + 1) * 128 / target.width();
            QVERIFY2(qAbs(int(row[mid]) - expected) <= 2,
                     qPrintable(QStringLiteral("%1x%2: %3, not %4")
                                    .arg(target.width())
                                    .arg(target.height())
                                    .arg(row[mid])
                                    .arg(expected)));
        }
    }
}

QTEST_MAIN(TestPreviewStage)

#include "tst_previewstage.moc"
