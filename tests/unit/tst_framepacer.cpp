// FramePacer: which offered frames a viewer with ?fps=N gets, on timestamps given by the test
// (the pacer takes "now" as an argument), never on the wall clock.
#include "http/framepacer.h"

#include <QTest>

namespace {
constexpr qint64 kStartUs = 1'000'000'000; // any time base: a monotonic clock in the server
constexpr qint64 kThirtyFpsUs = 33'333;

// Offers `count` frames `periodUs` apart from `startUs`; the indices of those that are due.
QList<int> dueFrames(FramePacer &pacer, int count, qint64 periodUs, qint64 startUs = kStartUs)
{
    QList<int> due;
    for (int i = 0; i < count; ++i) {
        if (pacer.due(startUs + i * periodUs))
            due.append(i);
    }
    return due;
}
} // namespace

class TestFramePacer : public QObject
{
    Q_OBJECT

private slots:
    void noCapPassesEverything();
    void capBelowSourceRate();
    void averageRateIsTheCap_data();
    void averageRateIsTheCap();
    void capAboveSourceRate();
    void farBehindRestartsFromNow();
    void startResets();
};

void TestFramePacer::noCapPassesEverything()
{
    FramePacer pacer;
    QCOMPARE(dueFrames(pacer, 100, kThirtyFpsUs).size(), 100);
    pacer.start(0);
    QCOMPARE(dueFrames(pacer, 100, 1).size(), 100); // even frames 1 µs apart
}

void TestFramePacer::capBelowSourceRate()
{
    // 10 fps out of 30: the first frame, then each frame at or after the next slot of the
    // schedule t0 + k × 100 ms. Frame 3 (99.999 ms) is early by 1 µs and waits for frame 4.
    FramePacer pacer;
    pacer.start(10);
    const QList<int> due = dueFrames(pacer, 16, kThirtyFpsUs);
    QCOMPARE(due, (QList<int>{0, 4, 7, 10, 13}));
}

void TestFramePacer::averageRateIsTheCap_data()
{
    QTest::addColumn<double>("cap");
    QTest::addColumn<qint64>("periodUs");
    QTest::addColumn<int>("frames");
    QTest::addColumn<int>("expected");
    // Anchored to the schedule, not to each frame: the rate is the one asked for, not the
    // source rate divided by a whole number (10 of 30 is every 3rd, 7 of 30 is not).
    QTest::newRow("10 of 30 fps, 3 s") << 10.0 << kThirtyFpsUs << 90 << 30;
    QTest::newRow("7 of 30 fps, 10 s") << 7.0 << kThirtyFpsUs << 300 << 70;
    QTest::newRow("1 of 30 fps, 10 s") << 1.0 << kThirtyFpsUs << 300 << 10;
    QTest::newRow("12.5 of 25 fps, 4 s") << 12.5 << qint64(40'000) << 100 << 50;
    QTest::newRow("0.5 of 15 fps, 20 s") << 0.5 << qint64(66'667) << 300 << 10;
}

void TestFramePacer::averageRateIsTheCap()
{
    QFETCH(double, cap);
    QFETCH(qint64, periodUs);
    QFETCH(int, frames);
    QFETCH(int, expected);
    FramePacer pacer;
    pacer.start(cap);
    const QList<int> due = dueFrames(pacer, frames, periodUs);
    QCOMPARE(due.size(), expected);
    // Spread out, not bunched: no two passed frames closer than the cap's interval less one
    // source frame.
    const qint64 intervalUs = qint64(1e6 / cap);
    for (qsizetype i = 1; i < due.size(); ++i)
        QVERIFY((due[i] - due[i - 1]) * periodUs > intervalUs - periodUs);
}

void TestFramePacer::capAboveSourceRate()
{
    FramePacer pacer;
    pacer.start(60);
    QCOMPARE(dueFrames(pacer, 90, kThirtyFpsUs).size(), 90);
}

void TestFramePacer::farBehindRestartsFromNow()
{
    // The source paused for 5 s (camera unplugged): the frame after the gap passes, and the
    // schedule starts again from it instead of letting a burst through to catch up.
    FramePacer pacer;
    pacer.start(10);
    QCOMPARE(dueFrames(pacer, 30, kThirtyFpsUs).size(), 10);
    const qint64 back = kStartUs + 5'000'000;
    QVERIFY(pacer.due(back));
    QVERIFY(!pacer.due(back + 1));
    QVERIFY(!pacer.due(back + 50'000));
    QVERIFY(!pacer.due(back + 99'999));
    QVERIFY(pacer.due(back + 100'000));
    QVERIFY(!pacer.due(back + 100'001));
}

void TestFramePacer::startResets()
{
    FramePacer pacer;
    pacer.start(1);
    QVERIFY(pacer.due(kStartUs));
    QVERIFY(!pacer.due(kStartUs + 10));
    // A new cap (the viewer's next request on the connection) starts with a frame at once.
    pacer.start(2);
    QCOMPARE(pacer.maxFps, 2.0);
    QVERIFY(pacer.due(kStartUs + 20));
    QVERIFY(!pacer.due(kStartUs + 20 + 499'999));
    QVERIFY(pacer.due(kStartUs + 20 + 500'000));
}

QTEST_GUILESS_MAIN(TestFramePacer)
#include "tst_framepacer.moc"
