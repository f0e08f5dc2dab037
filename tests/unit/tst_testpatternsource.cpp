#include "capture/testpatternsource.h"

#include <QSignalSpy>
#include <QTest>

class TestTestPatternSource : public QObject
{
    Q_OBJECT

private slots:
    void framesFlow();
    void stopStops();
};

void TestTestPatternSource::framesFlow()
{
    TestPatternSource source(QSize(320, 240), 30);
    QSignalSpy frames(&source, &FrameSource::frameCaptured);
    QSignalSpy info(&source, &FrameSource::infoChanged);
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 5, 30000);

    QVERIFY(!info.isEmpty());
    const auto i = info.constLast().at(0).value<FrameSource::Info>();
    QVERIFY(i.online);
    QCOMPARE(i.size, QSize(320, 240));
    QCOMPARE(i.fps, 30.0);

    quint64 previousSequence = 0;
    qint64 previousTime = 0;
    QImage previousImage;
    int differing = 0;
    for (const QList<QVariant> &args : std::as_const(frames)) {
        const RawFrame f = args.at(0).value<RawFrame>();
        QCOMPARE(f.kind, RawFrame::Kind::Image);
        QVERIFY(f.live);
        QCOMPARE(f.width, 320);
        QCOMPARE(f.height, 240);
        QCOMPARE(f.image.size(), QSize(320, 240));
        QVERIFY(f.sequence > previousSequence);
        QVERIFY(f.captureTimeUs >= previousTime);
        QVERIFY(qAbs(f.captureTimeUs - wallClockUs()) < 3600LL * 1000000); // wall clock, not uptime
        if (!previousImage.isNull() && f.image != previousImage)
            ++differing;
        previousSequence = f.sequence;
        previousTime = f.captureTimeUs;
        previousImage = f.image;
    }
    QCOMPARE(frames.constFirst().at(0).value<RawFrame>().sequence, quint64(1));
    // The moving block and the frame counter change every frame.
    QCOMPARE(differing, frames.size() - 1);
    source.stop();
}

void TestTestPatternSource::stopStops()
{
    TestPatternSource source(QSize(64, 48), 50);
    QSignalSpy frames(&source, &FrameSource::frameCaptured);
    QSignalSpy info(&source, &FrameSource::infoChanged);
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 2, 30000);
    source.stop();
    QVERIFY(!info.constLast().at(0).value<FrameSource::Info>().online);
    const qsizetype count = frames.size();
    QTest::qWait(300); // several frame intervals: nothing may come
    QCOMPARE(frames.size(), count);
}

QTEST_MAIN(TestTestPatternSource)
#include "tst_testpatternsource.moc"
