#include "capture/frametransform.h"
#include "capture/planetransform.h"
#include "encode/jpegencoder.h"

#include <QPainter>
#include <QTest>
#include <QTransform>

#include <cmath>

Q_DECLARE_METATYPE(FrameTransform::Flip)

namespace {
// A picture that looks different every way it is turned: a gradient, a red block at the top
// left, a blue bar along the bottom.
QImage testPicture(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x)
            line[x] = qRgb(x * 255 / size.width(), y * 255 / size.height(), 128);
    }
    QPainter painter(&image);
    painter.fillRect(QRect(8, 8, size.width() / 4, size.height() / 5), Qt::red);
    painter.fillRect(QRect(0, size.height() * 4 / 5, size.width() / 2, size.height() / 5),
                     Qt::blue);
    return image;
}

// The reference, made another way: QImage's own mirror, rotation and copy.
QImage reference(const QImage &image, const FrameTransform &t)
{
    const FrameTransform::Op op = t.op();
    QImage turned = op.mirror ? image.mirrored(true, false) : image;
    turned = turned.transformed(QTransform().rotate(op.rotate));
    return t.crop.isNull() ? turned : turned.copy(t.crop);
}

// Mean absolute difference per channel; JPEG decodes of a losslessly turned file and of the
// original differ only where chroma upsampling meets the edges.
double meanDifference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 1e9;
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const auto *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col)
            sum += std::abs(qRed(p[col]) - qRed(q[col])) + std::abs(qGreen(p[col]) - qGreen(q[col]))
                + std::abs(qBlue(p[col]) - qBlue(q[col]));
    }
    return sum / (3.0 * x.width() * x.height());
}

RawFrame jpegFrame(const QByteArray &jpeg, QSize size)
{
    RawFrame frame;
    frame.kind = RawFrame::Kind::Jpeg;
    frame.jpeg = jpeg;
    frame.width = size.width();
    frame.height = size.height();
    return frame;
}

// An I420 frame whose planes hold distinct values everywhere (a hash of the position).
RawFrame i420Frame(QSize size)
{
    RawFrame frame;
    frame.kind = RawFrame::Kind::I420;
    frame.width = size.width();
    frame.height = size.height();
    frame.image = QImage(i420ImageSize(size.width(), size.height()), QImage::Format_Grayscale8);
    const I420Planes p = i420Planes(frame.image, size.width(), size.height());
    const QSize chroma((size.width() + 1) / 2, (size.height() + 1) / 2);
    for (int i = 0; i < 3; ++i) {
        const QSize s = i == 0 ? size : chroma;
        for (int y = 0; y < s.height(); ++y)
            for (int x = 0; x < s.width(); ++x)
                p.plane[i][qsizetype(y) * p.stride[i] + x]
                    = uchar((x * 7 + y * 13 + i * 50) & 0xff);
    }
    return frame;
}

// Plane `i` of an I420 frame as a Grayscale8 image (a copy), `size` being the plane's.
QImage plane(const RawFrame &frame, int i)
{
    QImage image = frame.image;
    const I420Planes p = i420Planes(image, frame.width, frame.height);
    const QSize size = i == 0 ? QSize(frame.width, frame.height)
                              : QSize((frame.width + 1) / 2, (frame.height + 1) / 2);
    return QImage(p.plane[i], size.width(), size.height(), p.stride[i], QImage::Format_Grayscale8)
        .copy();
}
} // namespace

class TestFrameTransform : public QObject
{
    Q_OBJECT
private slots:
    void parse();
    void fitCrop();
    void jpeg_data();
    void jpeg();
    void jpegSnapsCrop();
    void jpegTrimsPartialMcu();
    void jpegCorrupt();
    void i420_data();
    void i420();
    void i420OddSizeAndCrop();
    void image();
    void cameraSizeChangesUnderCrop();
};

void TestFrameTransform::parse()
{
    int rotate = -1;
    QVERIFY(FrameTransform::parseRotate(QStringLiteral("270"), &rotate).isEmpty());
    QCOMPARE(rotate, 270);
    const QString badRotate = FrameTransform::parseRotate(QStringLiteral("45"), &rotate);
    QVERIFY(badRotate.contains(QLatin1String("rotate")));
    QVERIFY(badRotate.contains(QLatin1String("0, 90, 180 or 270")));
    FrameTransform::Flip flip = FrameTransform::Flip::None;
    QVERIFY(FrameTransform::parseFlip(QStringLiteral("vertical"), &flip).isEmpty());
    QCOMPARE(flip, FrameTransform::Flip::Vertical);
    const QString badFlip = FrameTransform::parseFlip(QStringLiteral("sideways"), &flip);
    QVERIFY(badFlip.contains(QLatin1String("flip must be none, horizontal or vertical")));
    QRect crop;
    QVERIFY(FrameTransform::parseCrop(QStringLiteral("640x360+320+180"), &crop).isEmpty());
    QCOMPARE(crop, QRect(320, 180, 640, 360));
    QCOMPARE(FrameTransform::cropText(crop), QStringLiteral("640x360+320+180"));
    QVERIFY(FrameTransform::parseCrop(QStringLiteral("none"), &crop).isEmpty());
    QVERIFY(crop.isNull());
    for (const char *bad : {"0x0+0+0", "640x360", "axb+1+2", "640x0+0+0", "-5x5+0+0"})
        QVERIFY2(
            FrameTransform::parseCrop(QLatin1String(bad), &crop).contains(QLatin1String("crop")),
            bad);
    FrameTransform t;
    t.rotate = 90;
    t.crop = QRect(0, 0, 720, 1280);
    QVERIFY(t.checkFits(QSize(1280, 720)).isEmpty()); // rotated, it is 720x1280
    t.rotate = 0;
    const QString outside = t.checkFits(QSize(1280, 720));
    QVERIFY(outside.contains(QLatin1String("crop 720x1280+0+0 is outside the 1280x720 picture")));
}

void TestFrameTransform::fitCrop()
{
    const QSize picture(640, 480);
    // Fits and already on the grid: as asked.
    QCOMPARE(FrameTransformer::fitCrop(QRect(16, 32, 320, 240), picture, 16, 16),
             QRect(16, 32, 320, 240));
    // Corner snapped down, far edges kept (snapped down too when inside).
    QCOMPARE(FrameTransformer::fitCrop(QRect(13, 7, 100, 100), picture, 16, 8),
             QRect(0, 0, 112, 104));
    QCOMPARE(FrameTransformer::fitCrop(QRect(3, 5, 101, 51), picture, 2, 2), QRect(2, 4, 102, 52));
    // Outside: moved in; larger: shrunk to the picture (then it is the whole picture: null).
    QCOMPARE(FrameTransformer::fitCrop(QRect(500, 400, 320, 240), picture, 1, 1),
             QRect(320, 240, 320, 240));
    QVERIFY(FrameTransformer::fitCrop(QRect(100, 100, 800, 600), picture, 16, 16).isNull());
    QVERIFY(FrameTransformer::fitCrop(QRect(), picture, 16, 16).isNull());
}

void TestFrameTransform::jpeg_data()
{
    QTest::addColumn<int>("rotate");
    QTest::addColumn<FrameTransform::Flip>("flip");
    QTest::addColumn<QRect>("crop");
    using F = FrameTransform::Flip;
    for (int rotate : {0, 90, 180, 270})
        for (F flip : {F::None, F::Horizontal, F::Vertical})
            QTest::addRow("rotate%d-%s", rotate, qPrintable(FrameTransform::flipName(flip)))
                << rotate << flip << QRect();
    QTest::newRow("rotate90-crop") << 90 << F::None << QRect(16, 32, 160, 128);
    QTest::newRow("hflip-crop") << 0 << F::Horizontal << QRect(48, 16, 96, 64);
}

// Camera JPEGs turned losslessly come out as the decoded original turned by QImage.
void TestFrameTransform::jpeg()
{
    QFETCH(int, rotate);
    QFETCH(FrameTransform::Flip, flip);
    QFETCH(QRect, crop);
    const QSize size(320, 240); // a multiple of the 4:2:0 MCU: nothing trimmed
    JpegEncoder encoder;
    const QByteArray jpeg = encoder.encode(testPicture(size), 95);
    QVERIFY(!jpeg.isEmpty());
    const QImage decoded = QImage::fromData(jpeg, "JPEG");
    FrameTransform t;
    t.rotate = rotate;
    t.flip = flip;
    t.crop = crop;
    FrameTransformer transformer;
    const RawFrame out = transformer.apply(jpegFrame(jpeg, size), t);
    QCOMPARE(out.kind, RawFrame::Kind::Jpeg);
    const QImage turned = QImage::fromData(out.jpeg, "JPEG");
    const QImage expected = reference(decoded, t);
    QCOMPARE(turned.size(), expected.size());
    QCOMPARE(QSize(out.width, out.height), expected.size());
    QCOMPARE(transformer.applied().output, expected.size());
    QCOMPARE(transformer.applied().crop, crop);
    const double difference = meanDifference(turned, expected);
    QVERIFY2(difference < 2.0, qPrintable(QString::number(difference)));
}

// A crop off the MCU grid is snapped (corner down, far edge kept) and says so.
void TestFrameTransform::jpegSnapsCrop()
{
    const QSize size(320, 240);
    JpegEncoder encoder;
    const QByteArray jpeg = encoder.encode(testPicture(size), 95); // 4:2:0: MCU 16x16
    FrameTransform t;
    t.crop = QRect(13, 21, 100, 60); // far edges at 113 and 81
    FrameTransformer transformer;
    const RawFrame out = transformer.apply(jpegFrame(jpeg, size), t);
    const QRect applied(0, 16, 112, 64);
    QCOMPARE(transformer.applied().crop, applied);
    const QImage turned = QImage::fromData(out.jpeg, "JPEG");
    QCOMPARE(turned.size(), applied.size());
    QVERIFY(meanDifference(turned, QImage::fromData(jpeg, "JPEG").copy(applied)) < 2.0);
}

// 328x248 in 4:2:0 has a partial MCU at the right and at the bottom: a quarter turn would move
// the bottom one to the left edge, where it cannot be: it is trimmed, never garbage.
void TestFrameTransform::jpegTrimsPartialMcu()
{
    const QSize size(328, 248);
    JpegEncoder encoder;
    const QByteArray jpeg = encoder.encode(testPicture(size), 95);
    FrameTransform t;
    t.rotate = 90;
    FrameTransformer transformer;
    const RawFrame out = transformer.apply(jpegFrame(jpeg, size), t);
    const QImage turned = QImage::fromData(out.jpeg, "JPEG");
    QCOMPARE(turned.size(), QSize(240, 328));
    QCOMPARE(QSize(out.width, out.height), QSize(240, 328));
    FrameTransform rotateOnly;
    rotateOnly.rotate = 90;
    const QImage expected
        = reference(QImage::fromData(jpeg, "JPEG").copy(0, 0, 328, 240), rotateOnly);
    const double difference = meanDifference(turned, expected);
    QVERIFY2(difference < 2.0, qPrintable(QString::number(difference)));
}

void TestFrameTransform::jpegCorrupt()
{
    FrameTransform t;
    t.rotate = 180;
    FrameTransformer transformer;
    const RawFrame out = transformer.apply(jpegFrame(QByteArray(500, 'x'), QSize(64, 64)), t);
    QVERIFY(out.jpeg.isEmpty()); // the encoder counts it as corrupt
}

void TestFrameTransform::i420_data()
{
    jpeg_data();
}

// Each plane turned is the plane turned by QImage (chroma with the crop halved).
void TestFrameTransform::i420()
{
    QFETCH(int, rotate);
    QFETCH(FrameTransform::Flip, flip);
    QFETCH(QRect, crop);
    const QSize size(320, 240);
    const RawFrame in = i420Frame(size);
    FrameTransform t;
    t.rotate = rotate;
    t.flip = flip;
    t.crop = crop;
    FrameTransformer transformer;
    const RawFrame out = transformer.apply(in, t);
    QCOMPARE(out.kind, RawFrame::Kind::I420);
    FrameTransform chroma = t;
    chroma.crop = QRect(crop.x() / 2, crop.y() / 2, crop.width() / 2, crop.height() / 2);
    for (int i = 0; i < 3; ++i) {
        const QImage expected = reference(plane(in, i), i == 0 ? t : chroma);
        QCOMPARE(plane(out, i), expected);
    }
    QCOMPARE(out.image.size(), i420ImageSize(out.width, out.height));
}

// An odd height loses its last row (chroma stays aligned), a crop snaps to even positions.
void TestFrameTransform::i420OddSizeAndCrop()
{
    const RawFrame in = i420Frame(QSize(322, 241));
    FrameTransform t;
    t.rotate = 270;
    FrameTransformer transformer;
    RawFrame out = transformer.apply(in, t);
    QCOMPARE(QSize(out.width, out.height), QSize(240, 322));
    FrameTransform rotateOnly;
    rotateOnly.rotate = 270;
    QCOMPARE(plane(out, 0), reference(plane(in, 0).copy(0, 0, 322, 240), rotateOnly));
    QCOMPARE(plane(out, 1), reference(plane(in, 1).copy(0, 0, 161, 120), rotateOnly));

    t.crop = QRect(3, 5, 101, 51);
    out = transformer.apply(in, t);
    QCOMPARE(transformer.applied().crop, QRect(2, 4, 102, 52));
    QCOMPARE(QSize(out.width, out.height), QSize(102, 52));
    rotateOnly.crop = QRect(2, 4, 102, 52);
    QCOMPARE(plane(out, 0), reference(plane(in, 0).copy(0, 0, 322, 240), rotateOnly));
}

void TestFrameTransform::image()
{
    RawFrame in;
    in.image = testPicture(QSize(321, 199));
    in.width = 321;
    in.height = 199;
    FrameTransform t;
    t.rotate = 90;
    t.flip = FrameTransform::Flip::Vertical;
    t.crop = QRect(10, 20, 101, 77);
    FrameTransformer transformer;
    const RawFrame out = transformer.apply(in, t);
    QCOMPARE(out.image, reference(in.image, t));
    QCOMPARE(QSize(out.width, out.height), QSize(101, 77));
}

// The camera came back at a smaller size: the crop is clamped to it, the frame never empty.
void TestFrameTransform::cameraSizeChangesUnderCrop()
{
    FrameTransform t;
    t.crop = QRect(600, 400, 600, 300); // fits 1280x720
    FrameTransformer transformer;
    JpegEncoder encoder;
    const QByteArray small = encoder.encode(testPicture(QSize(640, 480)), 80);
    const RawFrame out = transformer.apply(jpegFrame(small, QSize(640, 480)), t);
    QCOMPARE(transformer.applied().crop, QRect(32, 176, 608, 304));
    QCOMPARE(QImage::fromData(out.jpeg, "JPEG").size(), QSize(608, 304));
    const RawFrame raw = transformer.apply(i420Frame(QSize(640, 480)), t);
    QCOMPARE(QSize(raw.width, raw.height), QSize(600, 300));
    QCOMPARE(transformer.applied().crop, QRect(40, 180, 600, 300));
}

QTEST_GUILESS_MAIN(TestFrameTransform)
#include "tst_frametransform.moc"
