// ProfileSet (issue 18): how a viewer's ?width=, ?height=, ?quality= are read and rounded to an
// allowed profile, never above the source, and never more live profiles than allowed.

#include "http/profileset.h"

#include <QTest>

namespace {
HttpRequest requestFor(const QByteArray &target)
{
    HttpRequestParser parser;
    parser.feed("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    return parser.request();
}

ProfileRequest wanted(int width, int height = 0, int quality = 0)
{
    return ProfileRequest{width, height, quality};
}
} // namespace

class TestProfileSet : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void rounds_data();
    void rounds();
    void fullSizeOfAPassThroughCamera();
    void sameProfileSameId();
    void liveLimitGivesTheNearestLiveOne();
    void definedOnceBeforeFirstHeld();
    void allowedSizesNeverAboveTheSource();
    void remembersABoundedNumber();
};

void TestProfileSet::parse_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("quality");
    QTest::newRow("nothing") << QByteArray("/stream") << true << 0 << 0 << 0;
    QTest::newRow("all") << QByteArray("/stream?width=640&height=480&quality=55") << true << 640
                         << 480 << 55;
    for (const char *bad : {"width=abc", "width=0", "width=-5", "width=99999", "width=6.4e2",
                            "width=640px", "width=+640", "width=", "height=x", "quality=0",
                            "quality=101", "quality=5.5", "quality=-1"})
        QTest::newRow(bad) << QByteArray("/stream?") + bad << false << 0 << 0 << 0;
}

void TestProfileSet::parse()
{
    QFETCH(QByteArray, target);
    QFETCH(bool, ok);
    QByteArray why;
    const auto parsed = ProfileRequest::parse(requestFor(target), &why);
    QCOMPARE(bool(parsed), ok);
    if (!ok) {
        QVERIFY2(why.contains("must be a whole number"), why.constData());
        return;
    }
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, quality);
    QCOMPARE(parsed->width, width);
    QCOMPARE(parsed->height, height);
    QCOMPARE(parsed->quality, quality);
}

void TestProfileSet::rounds_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("quality");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("gotQuality");
    QTest::newRow("full") << 0 << 0 << 0 << QSize(1280, 720) << 80;
    QTest::newRow("exact 640") << 640 << 0 << 0 << QSize(640, 360) << 80;
    QTest::newRow("500 → 640") << 500 << 0 << 0 << QSize(640, 360) << 80;
    QTest::newRow("480 tie → 640") << 480 << 0 << 0 << QSize(640, 360) << 80;
    QTest::newRow("1 → 320") << 1 << 0 << 0 << QSize(320, 180) << 80;
    QTest::newRow("above the source") << 5000 << 0 << 0 << QSize(1280, 720) << 80;
    QTest::newRow("height 200 → 320") << 0 << 200 << 0 << QSize(320, 180) << 80;
    QTest::newRow("box 1000x200 → 320") << 1000 << 200 << 0 << QSize(320, 180) << 80;
    QTest::newRow("quality 55 → 60") << 320 << 0 << 55 << QSize(320, 180) << 60;
    QTest::newRow("quality 1 → 10") << 320 << 0 << 1 << QSize(320, 180) << 10;
    QTest::newRow("quality 78 → 80: full") << 0 << 0 << 78 << QSize(1280, 720) << 80;
}

void TestProfileSet::rounds()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, quality);
    QFETCH(QSize, size);
    QFETCH(int, gotQuality);
    ProfileSet set;
    set.setFullSize(QSize(1280, 720));
    set.setFullQuality(80, false);
    const ProfileSet::Ticket ticket = set.acquire(wanted(width, height, quality));
    QCOMPARE(ticket.choice().size, size);
    QCOMPARE(ticket.choice().quality, gotQuality);
    QCOMPARE(ticket.choice().isFullSize(), size == QSize(1280, 720) && gotQuality == 80);
}

void TestProfileSet::fullSizeOfAPassThroughCamera()
{
    ProfileSet set;
    set.setFullSize(QSize(1280, 720));
    set.setFullQuality(80, true);
    const ProfileSet::Ticket full = set.acquire(wanted(0));
    QVERIFY(full.choice().isFullSize());
    QCOMPARE(full.choice().quality, -1); // the camera's own JPEGs
    const ProfileSet::Ticket small = set.acquire(wanted(640));
    QCOMPARE(small.choice().quality, 80);
    // Another quality at full size is a re-encode: a profile of its own.
    const ProfileSet::Ticket other = set.acquire(wanted(0, 0, 50));
    QVERIFY(!other.choice().isFullSize());
    QCOMPARE(other.choice().size, QSize(1280, 720));
    QCOMPARE(other.choice().quality, 50);
}

void TestProfileSet::sameProfileSameId()
{
    ProfileSet set;
    set.setFullSize(QSize(1280, 720));
    ProfileSet::Ticket a = set.acquire(wanted(640));
    ProfileSet::Ticket b = set.acquire(wanted(600));
    QCOMPARE(a.id(), b.id());
    const int id = a.id();
    a.reset();
    b.reset();
    QCOMPARE(set.all().size(), 2); // the full size and the 640, no longer live
    QVERIFY(!set.all().at(1).live);
    // Asked for again: the same id (its counters go on).
    QCOMPARE(set.acquire(wanted(640)).id(), id);
}

void TestProfileSet::liveLimitGivesTheNearestLiveOne()
{
    ProfileSet set;
    set.setSettings({{0, 960, 640, 320, 160}, 3});
    set.setFullSize(QSize(1280, 720));
    const ProfileSet::Ticket a = set.acquire(wanted(640));
    const ProfileSet::Ticket b = set.acquire(wanted(160));
    QCOMPARE(b.choice().size, QSize(160, 90));
    // Full + 640 + 160 live: a 320 viewer gets the nearest live one, 160 (distance 160 vs 320).
    ProfileSet::Ticket c = set.acquire(wanted(320));
    QCOMPARE(c.id(), b.id());
    // 960 is nearest to the full size.
    QVERIFY(set.acquire(wanted(960)).choice().isFullSize());
    // Once the 160 has no viewer left, 320 may be made.
    c.reset();
    ProfileSet::Ticket d = set.acquire(wanted(160));
    QCOMPARE(d.id(), b.id());
    d.reset();
    QCOMPARE(set.acquire(wanted(320)).id(), b.id()); // b still holds it
    int live = 0;
    for (const ProfileSet::Live &profile : set.all())
        live += profile.live ? 1 : 0;
    QVERIFY(live <= 3);
}

void TestProfileSet::definedOnceBeforeFirstHeld()
{
    ProfileSet set;
    set.setFullSize(QSize(640, 480));
    set.setFullQuality(70, false);
    QList<QList<int>> defined;
    set.setDefinedListener([&](int id, int width, int quality) {
        defined.append({id, width, quality});
    });
    const ProfileSet::Ticket a = set.acquire(wanted(320));
    const ProfileSet::Ticket b = set.acquire(wanted(320));
    const ProfileSet::Ticket full = set.acquire(wanted(640));
    QCOMPARE(defined, (QList<QList<int>>{{a.id(), 320, 70}}));
    QVERIFY(full.choice().isFullSize());
}

void TestProfileSet::allowedSizesNeverAboveTheSource()
{
    ProfileSet set;
    set.setSettings({{1280, 640, 320}, 4});
    set.setFullSize(QSize(640, 480));
    QCOMPARE(set.allowedSizes(), (QList<QSize>{{640, 480}, {320, 240}}));
    QCOMPARE(set.acquire(wanted(1280)).choice().size, QSize(640, 480));
    QVERIFY(set.describeAllowed().contains("640x480, 320x240"));
}

// Requests cycling through more sizes and qualities than it remembers: the oldest unheld
// profile is forgotten (and its encoder told), so nothing grows without bound.
void TestProfileSet::remembersABoundedNumber()
{
    ProfileSet set;
    set.setSettings({{0, 16, 32, 48, 64, 80, 96, 112}, 4});
    set.setFullSize(QSize(1280, 720));
    QHash<int, int> defined; // id → width, as an encoder would keep them
    set.setDefinedListener([&](int id, int width, int) {
        if (width < 0)
            defined.remove(id);
        else
            defined.insert(id, width);
    });
    for (int round = 0; round < 3; ++round) {
        for (const int width : {16, 32, 48, 64, 80, 96, 112}) {
            for (int quality = 10; quality <= 100; quality += 10)
                set.acquire(wanted(width, 0, quality));
        }
    }
    QVERIFY(set.all().size() <= 65); // the full size and at most 64 remembered
    QCOMPARE(defined.size(), set.all().size() - 1);
}

QTEST_GUILESS_MAIN(TestProfileSet)
#include "tst_profileset.moc"
