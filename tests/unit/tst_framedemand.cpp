#include "http/framedemand.h"

#include <QList>
#include <QPair>
#include <QTest>

#include <thread>
#include <vector>

class TestFrameDemand : public QObject
{
    Q_OBJECT

private slots:
    void listenerHearsNobodyAndSomebody()
    {
        FrameDemand demand;
        QList<QPair<int, bool>> heard;
        QVERIFY(!demand.hasListener());
        demand.setListener([&](int profile, bool needed) { heard.append({profile, needed}); });
        QVERIFY(demand.hasListener());
        // Told the state at once: nobody.
        QCOMPARE(heard, (QList<QPair<int, bool>>{{FrameDemand::kFullSize, false}}));
        heard.clear();

        FrameDemand::Hold a = demand.hold();
        FrameDemand::Hold b = demand.hold();
        QCOMPARE(demand.count(), 2);
        QCOMPARE(heard, (QList<QPair<int, bool>>{{FrameDemand::kFullSize, true}}));
        a.reset();
        QCOMPARE(heard.size(), 1); // still somebody
        {
            FrameDemand::Hold moved = std::move(b);
            QVERIFY(!b.isHeld());
            QVERIFY(moved.isHeld());
            QCOMPARE(demand.count(), 1);
        }
        QCOMPARE(demand.count(), 0);
        QCOMPARE(heard.last(), qMakePair(int(FrameDemand::kFullSize), false));
        QCOMPARE(heard.size(), 2);
    }

    void profilesAreCountedApart()
    {
        FrameDemand demand;
        QList<QPair<int, bool>> heard;
        demand.setListener([&](int profile, bool needed) { heard.append({profile, needed}); });
        heard.clear();
        FrameDemand::Hold small = demand.hold(2);
        QCOMPARE(demand.count(2), 1);
        QCOMPARE(demand.count(), 0);
        QCOMPARE(heard, (QList<QPair<int, bool>>{{2, true}}));
        // A new listener hears every profile's state.
        heard.clear();
        demand.setListener([&](int profile, bool needed) { heard.append({profile, needed}); });
        QVERIFY(heard.contains(qMakePair(2, true)));
        QVERIFY(heard.contains(qMakePair(int(FrameDemand::kFullSize), false)));
        // An empty one is told nothing more.
        demand.setListener({});
        heard.clear();
        small.reset();
        QVERIFY(heard.isEmpty());
        QVERIFY(!demand.hasListener());
    }

    void threadsEndWithTheRightAnswer()
    {
        FrameDemand demand;
        bool needed = true;
        int calls = 0;
        demand.setListener([&](int, bool n) {
            needed = n; // called under the demand's lock: no race
            ++calls;
        });
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&demand] {
                for (int i = 0; i < 20000; ++i)
                    FrameDemand::Hold hold = demand.hold();
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(demand.count(), 0);
        QCOMPARE(needed, false);
        QVERIFY(calls % 2 == 1); // the first "nobody", then pairs
    }
};

QTEST_GUILESS_MAIN(TestFrameDemand)
#include "tst_framedemand.moc"
