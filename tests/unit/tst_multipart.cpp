#include "http/multipart.h"
#include "multipartreader.h"

#include <QTest>

using TestSupport::MultipartReader;

namespace {
// A tiny but well-formed JPEG-looking payload: the reader checks only SOI and EOI.
QByteArray fakeJpeg(int size)
{
    QByteArray jpeg(size, 'x');
    jpeg[0] = char(0xff);
    jpeg[1] = char(0xd8);
    jpeg[size - 2] = char(0xff);
    jpeg[size - 1] = char(0xd9);
    return jpeg;
}

QByteArray part(const QByteArray &jpeg, qint64 timeUs)
{
    return Multipart::partHeader(jpeg.size(), timeUs) + jpeg + Multipart::partTrailer();
}
} // namespace

class TestMultipart : public QObject
{
    Q_OBJECT

private slots:
    void contentType();
    void partHeaderBytes();
    void closingDelimiter();
    void timestamp_data();
    void timestamp();
    void streamFrameCarriesHeader();
    void readerAcceptsWriterOutput();
    void readerRejects_data();
    void readerRejects();
    void checkStreamOfRawBytes();
};

void TestMultipart::contentType()
{
    QCOMPARE(Multipart::contentType(), QByteArray("multipart/x-mixed-replace;boundary=mjpegkiosk"));
    QCOMPARE(TestSupport::boundaryOf(Multipart::contentType()), QByteArray("mjpegkiosk"));
    QCOMPARE(TestSupport::boundaryOf("multipart/x-mixed-replace; boundary=\"abc\""),
             QByteArray("abc"));
    QVERIFY(TestSupport::boundaryOf("image/jpeg").isEmpty());
}

void TestMultipart::partHeaderBytes()
{
    QCOMPARE(Multipart::partHeader(12345, 1700000000123456),
             QByteArray("--mjpegkiosk\r\n"
                        "Content-Type: image/jpeg\r\n"
                        "Content-Length: 12345\r\n"
                        "X-Timestamp: 1700000000.123456\r\n"
                        "\r\n"));
    QCOMPARE(Multipart::partTrailer(), QByteArray("\r\n"));
}

void TestMultipart::closingDelimiter()
{
    QCOMPARE(Multipart::closingDelimiter(), QByteArray("--mjpegkiosk--\r\n"));
}

void TestMultipart::timestamp_data()
{
    QTest::addColumn<qint64>("us");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("whole second") << qint64(1700000000000000) << QByteArray("1700000000.000000");
    QTest::newRow("leading zeros") << qint64(1700000000000007) << QByteArray("1700000000.000007");
    QTest::newRow("all digits") << qint64(1764072000999999) << QByteArray("1764072000.999999");
    QTest::newRow("zero") << qint64(0) << QByteArray("0.000000");
}

void TestMultipart::timestamp()
{
    QFETCH(qint64, us);
    QFETCH(QByteArray, text);
    QCOMPARE(Multipart::timestamp(us), text);
}

void TestMultipart::streamFrameCarriesHeader()
{
    const QByteArray jpeg = fakeJpeg(100);
    const Frame frame(7, 1700000000500000, jpeg, QSize(16, 16), true);
    const StreamFrame streamFrame = StreamFrame::from(frame);
    QCOMPARE(streamFrame.partHeader, Multipart::partHeader(100, 1700000000500000));
    QVERIFY(streamFrame.frame.jpeg().isSharedWith(jpeg)); // no copy per frame
}

void TestMultipart::readerAcceptsWriterOutput()
{
    const QByteArray a = fakeJpeg(300);
    const QByteArray b = fakeJpeg(5000);
    const QByteArray stream
        = part(a, 1700000000000001) + part(b, 1700000000250000) + Multipart::closingDelimiter();
    // Byte by byte, so every "incomplete" branch of the reader runs.
    MultipartReader reader("mjpegkiosk");
    for (char c : stream)
        QVERIFY2(reader.feed(QByteArray(1, c)), qPrintable(reader.error()));
    QCOMPARE(reader.partsRead(), 2);
    QVERIFY(reader.isClosed());
    QCOMPARE(reader.parts().at(0).jpeg, a);
    QCOMPARE(reader.parts().at(1).jpeg, b);
    QCOMPARE(reader.parts().at(0).timestampUs, 1700000000000001);
    QCOMPARE(reader.parts().at(1).timestamp, QByteArray("1700000000.250000"));
}

void TestMultipart::readerRejects_data()
{
    // The strict reader must catch each of these, or the integration tests prove nothing.
    const QByteArray jpeg = fakeJpeg(64);
    const QByteArray good = part(jpeg, 1700000000000000);
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("wrong boundary") << QByteArray(good).replace("--mjpegkiosk", "--other");
    QTest::newRow("bare LF delimiter")
        << QByteArray(good).replace("mjpegkiosk\r\n", "mjpegkiosk\n");
    QTest::newRow("headers reordered")
        << "--mjpegkiosk\r\nContent-Length: 64\r\nContent-Type: image/jpeg\r\n"
           "X-Timestamp: 1700000000.000000\r\n\r\n"
            + jpeg + "\r\n";
    QTest::newRow("length too short")
        << Multipart::partHeader(63, 1700000000000000) + jpeg + "\r\n";
    QTest::newRow("length too long")
        << Multipart::partHeader(65, 1700000000000000) + jpeg + "\r\n" + good;
    QTest::newRow("no SOI") << part(QByteArray(jpeg).replace(0, 2, "ab"), 1700000000000000);
    QTest::newRow("timestamp in ms")
        << QByteArray(good).replace("1700000000.000000", "1700000000000");
    QTest::newRow("no CRLF after JPEG") << QByteArray(good).chopped(2) + good;
    QTest::newRow("bytes after close") << good + Multipart::closingDelimiter() + "x";
}

void TestMultipart::readerRejects()
{
    QFETCH(QByteArray, stream);
    MultipartReader reader("mjpegkiosk");
    reader.feed(stream);
    QVERIFY(!reader.error().isEmpty());
}

void TestMultipart::checkStreamOfRawBytes()
{
    // What a raw-socket client (tests/security, tests/soak) collected: head, parts, perhaps cut
    // off anywhere.
    const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: " + Multipart::contentType()
        + "\r\nCache-Control: no-store\r\n\r\n";
    const QByteArray one = part(fakeJpeg(100), 1700000000000000);
    const QByteArray two = part(fakeJpeg(2000), 1700000000033333);

    QCOMPARE(TestSupport::checkStream({}).parts, 0);
    QVERIFY(TestSupport::checkStream(head.left(20)).error.isEmpty()); // head still coming
    TestSupport::StreamCheck check = TestSupport::checkStream(head + one + two.left(50));
    QVERIFY2(check.error.isEmpty(), qPrintable(check.error)); // a part cut off is no error
    QCOMPARE(check.parts, 1);
    QVERIFY(!check.closed);
    check = TestSupport::checkStream(head + one + two + Multipart::closingDelimiter());
    QVERIFY2(check.error.isEmpty(), qPrintable(check.error));
    QCOMPARE(check.parts, 2);
    QVERIFY(check.closed);

    QVERIFY(!TestSupport::checkStream(head + one + two.left(20) + one).error.isEmpty());
    QVERIFY(!TestSupport::checkStream(head + one + Multipart::closingDelimiter() + "x")
                 .error.isEmpty());
    QVERIFY(!TestSupport::checkStream(QByteArray(head).replace("200 OK", "503 Service Unavailable")
                                      + one)
                 .error.isEmpty());
    QVERIFY(!TestSupport::checkStream(QByteArray(head).replace("mjpegkiosk", "other") + one)
                 .error.isEmpty());
}

QTEST_GUILESS_MAIN(TestMultipart)
#include "tst_multipart.moc"
