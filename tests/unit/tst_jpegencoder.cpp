#include "encode/jpegencoder.h"

#include <QImage>
#include <QPainter>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

namespace {
// Something with edges and gradients, so quality makes a difference to the size.
QImage picture(QSize size, QImage::Format format = QImage::Format_RGB32)
{
    QImage image(size, QImage::Format_RGB32);
    QPainter p(&image);
    QLinearGradient gradient(0, 0, size.width(), size.height());
    gradient.setColorAt(0, Qt::darkBlue);
    gradient.setColorAt(1, Qt::yellow);
    p.fillRect(image.rect(), gradient);
    for (int i = 0; i < size.width(); i += 7)
        p.fillRect(i, size.height() / 3, 3, size.height() / 3, QColor(i % 256, 40, 200));
    p.end();
    return image.convertToFormat(format);
}

RawFrame rawFrame(const QImage &image, quint64 sequence)
{
    RawFrame frame;
    frame.image = image;
    frame.width = image.width();
    frame.height = image.height();
    frame.sequence = sequence;
    frame.captureTimeUs = 1700000000000000 + qint64(sequence);
    return frame;
}
} // namespace

class TestJpegEncoder : public QObject
{
    Q_OBJECT

private slots:
    void decodesToSameSize_data();
    void decodesToSameSize();
    void coloursSurvive_data();
    void coloursSurvive();
    void higherQualityIsBigger();
    void unsupportedFormatFails();
    void encodesOnItsThread();
    void jpegPassesThrough();
    void latestWins();
};

void TestJpegEncoder::decodesToSameSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("720p") << QSize(1280, 720);
    QTest::newRow("VGA") << QSize(640, 480);
    QTest::newRow("odd") << QSize(333, 77);
    QTest::newRow("tiny") << QSize(16, 16);
}

void TestJpegEncoder::decodesToSameSize()
{
    QFETCH(QSize, size);
    JpegEncoder encoder(80);
    const QByteArray jpeg = encoder.encode(picture(size), 80);
    QVERIFY(jpeg.startsWith("\xff\xd8"));
    QVERIFY(jpeg.endsWith("\xff\xd9"));
    QImage decoded;
    QVERIFY(decoded.loadFromData(jpeg, "JPEG"));
    QCOMPARE(decoded.size(), size);
    // Sane: much smaller than the raw pixels (past the fixed ~600 bytes of tables), bigger
    // than a header.
    const qsizetype raw = qsizetype(size.width()) * size.height() * 3;
    QVERIFY2(jpeg.size() < raw / 3 + 1024, qPrintable(QString::number(jpeg.size())));
    QVERIFY(jpeg.size() > 300);
}

void TestJpegEncoder::coloursSurvive_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("RGB32") << int(QImage::Format_RGB32);
    QTest::newRow("ARGB32") << int(QImage::Format_ARGB32);
    QTest::newRow("RGB888") << int(QImage::Format_RGB888);
    QTest::newRow("BGR888") << int(QImage::Format_BGR888);
    QTest::newRow("RGBX8888") << int(QImage::Format_RGBX8888);
}

void TestJpegEncoder::coloursSurvive()
{
    // A channel order mix-up would turn red into blue: check each primary comes back.
    QFETCH(int, format);
    QImage image(64, 32, QImage::Format_RGB32);
    image.fill(Qt::red);
    QPainter p(&image);
    p.fillRect(16, 0, 16, 32, Qt::green);
    p.fillRect(32, 0, 16, 32, Qt::blue);
    p.end();
    JpegEncoder encoder;
    const QByteArray jpeg = encoder.encode(image.convertToFormat(QImage::Format(format)), 95);
    QImage decoded;
    QVERIFY(decoded.loadFromData(jpeg, "JPEG"));
    const auto near = [](QRgb a, QColor b) {
        return qAbs(qRed(a) - b.red()) < 40 && qAbs(qGreen(a) - b.green()) < 40
            && qAbs(qBlue(a) - b.blue()) < 40;
    };
    QVERIFY(near(decoded.pixel(6, 16), Qt::red));
    QVERIFY(near(decoded.pixel(24, 16), Qt::green));
    QVERIFY(near(decoded.pixel(40, 16), Qt::blue));
}

void TestJpegEncoder::higherQualityIsBigger()
{
    JpegEncoder encoder;
    const QImage image = picture(QSize(640, 360));
    const qsizetype q20 = encoder.encode(image, 20).size();
    const qsizetype q50 = encoder.encode(image, 50).size();
    const qsizetype q80 = encoder.encode(image, 80).size();
    const qsizetype q95 = encoder.encode(image, 95).size();
    QVERIFY(q20 > 0);
    QVERIFY2(q20 < q50 && q50 < q80 && q80 < q95,
             qPrintable(QStringLiteral("%1 %2 %3 %4").arg(q20).arg(q50).arg(q80).arg(q95)));
}

void TestJpegEncoder::unsupportedFormatFails()
{
    JpegEncoder encoder;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("cannot encode image format"));
    QVERIFY(encoder.encode(QImage(32, 32, QImage::Format_Mono), 80).isEmpty());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("cannot encode image format"));
    QVERIFY(encoder.encode(QImage(), 80).isEmpty());
}

void TestJpegEncoder::encodesOnItsThread()
{
    QThread thread;
    auto *encoder = new JpegEncoder(70);
    encoder->moveToThread(&thread);
    connect(&thread, &QThread::finished, encoder, &QObject::deleteLater);
    thread.start();
    QSignalSpy spy(encoder, &JpegEncoder::frameEncoded);
    encoder->submit(rawFrame(picture(QSize(320, 240)), 42));
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 30000);
    const Frame frame = spy.at(0).at(0).value<Frame>();
    QCOMPARE(frame.sequence(), quint64(42));
    QCOMPARE(frame.captureTimeUs(), 1700000000000042);
    QCOMPARE(frame.size(), QSize(320, 240));
    QVERIFY(frame.isLive());
    QImage decoded;
    QVERIFY(decoded.loadFromData(frame.jpeg(), "JPEG"));
    QCOMPARE(decoded.size(), QSize(320, 240));
    const JpegEncoder::Counters c = encoder->counters();
    QCOMPARE(c.submitted, quint64(1));
    QCOMPARE(c.encoded, quint64(1));
    QCOMPARE(c.replaced, quint64(0));
    thread.quit();
    thread.wait();
}

void TestJpegEncoder::jpegPassesThrough()
{
    QThread thread;
    auto *encoder = new JpegEncoder(70);
    encoder->moveToThread(&thread);
    connect(&thread, &QThread::finished, encoder, &QObject::deleteLater);
    thread.start();
    QSignalSpy spy(encoder, &JpegEncoder::frameEncoded);
    RawFrame raw;
    raw.kind = RawFrame::Kind::Jpeg;
    raw.jpeg = JpegEncoder().encode(picture(QSize(64, 48)), 90);
    raw.width = 64;
    raw.height = 48;
    raw.sequence = 3;
    encoder->submit(raw);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 30000);
    const Frame frame = spy.at(0).at(0).value<Frame>();
    QVERIFY(frame.jpeg().isSharedWith(raw.jpeg)); // not re-encoded, not copied
    QCOMPARE(encoder->counters().encoded, quint64(1));
    thread.quit();
    thread.wait();
}

void TestJpegEncoder::latestWins()
{
    QThread thread;
    auto *encoder = new JpegEncoder(80);
    encoder->moveToThread(&thread);
    connect(&thread, &QThread::finished, encoder, &QObject::deleteLater);
    thread.start();
    QSignalSpy spy(encoder, &JpegEncoder::frameEncoded);

    // Keep the encoder's thread busy until every frame has been submitted, however fast or
    // slow this machine is: then only the newest frame may be encoded.
    QSemaphore busy;
    QSemaphore started;
    QMetaObject::invokeMethod(encoder, [&] {
        started.release();
        busy.acquire();
    });
    started.acquire();
    const QImage image = picture(QSize(320, 240));
    constexpr int kFrames = 50;
    for (int i = 1; i <= kFrames; ++i)
        encoder->submit(rawFrame(image, quint64(i)));
    busy.release();

    QTRY_VERIFY_WITH_TIMEOUT(
        encoder->counters().encoded + encoder->counters().replaced == quint64(kFrames), 30000);
    const JpegEncoder::Counters c = encoder->counters();
    QCOMPARE(c.submitted, quint64(kFrames));
    QVERIFY(c.replaced > 0);
    QCOMPARE(c.encoded + c.replaced, c.submitted);
    QCOMPARE(c.encoded, quint64(1));
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 30000);
    QCOMPARE(spy.at(0).at(0).value<Frame>().sequence(), quint64(kFrames)); // the newest one

    // Unblocked, frames submitted one at a time after each encode are all encoded.
    for (int i = 1; i <= 3; ++i) {
        encoder->submit(rawFrame(image, quint64(kFrames + i)));
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1 + i, 30000);
    }
    QCOMPARE(encoder->counters().encoded, quint64(4));
    thread.quit();
    thread.wait();
}

QTEST_MAIN(TestJpegEncoder)
#include "tst_jpegencoder.moc"
