#include "core/pinhash.h"
#include "ui/screenpower.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

// The screen's power against a fake sysfs backlight (a temporary brightness/max_brightness
// pair): dimmed, off and back, a backlight that vanishes, the schedule's hours; and the PIN's
// hash string.
class TestScreenPower : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString backlightFolder(int brightness, int max)
    {
        const QString folder = m_dir.filePath(QStringLiteral("bl%1").arg(++m_folders));
        QDir().mkpath(folder);
        write(folder + QStringLiteral("/max_brightness"), QByteArray::number(max));
        write(folder + QStringLiteral("/brightness"), QByteArray::number(brightness));
        return folder;
    }
    static void write(const QString &path, const QByteArray &value)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(value + '\n');
    }
    static QString brightness(const QString &folder)
    {
        QFile file(folder + QStringLiteral("/brightness"));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed()
                                              : QStringLiteral("(gone)");
    }
    int m_folders = 0;

private slots:
    void dimOffAndBackThroughTheBacklight()
    {
        const QString folder = backlightFolder(200, 255);
        {
            ScreenPower screen;
            KioskConfig config;
            config.backlight = folder;
            screen.configure(config);
            QVERIFY(screen.usesBacklight());
            screen.setDimAfterMs(100);
            screen.setOffAfterMs(400);
            QTRY_COMPARE_WITH_TIMEOUT(screen.state(), ScreenPower::Dimmed, 5000);
            QCOMPARE(brightness(folder), QStringLiteral("60")); // 30 % of what it was
            QTRY_COMPARE_WITH_TIMEOUT(screen.state(), ScreenPower::Off, 5000);
            QCOMPARE(brightness(folder), QStringLiteral("0"));
            screen.setDimAfterMs(0);
            screen.setOffAfterMs(0);
            screen.wake();
            QCOMPARE(screen.state(), ScreenPower::On);
            QCOMPARE(brightness(folder), QStringLiteral("200"));
            screen.setOffAfterMs(100);
            QTRY_COMPARE_WITH_TIMEOUT(screen.state(), ScreenPower::Off, 5000);
        }
        // Going away puts the brightness found at start back.
        QCOMPARE(brightness(folder), QStringLiteral("200"));
    }

    void vanishedBacklightFallsBackToBlack()
    {
        const QString folder = backlightFolder(80, 100);
        ScreenPower screen;
        KioskConfig config;
        config.backlight = folder;
        screen.configure(config);
        QVERIFY(screen.usesBacklight());
        QSignalSpy fallback(&screen, &ScreenPower::backlightChanged);
        QVERIFY(QDir(folder).removeRecursively());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("cannot set the backlight"));
        screen.setOffAfterMs(50);
        QTRY_COMPARE_WITH_TIMEOUT(screen.state(), ScreenPower::Off, 5000);
        QVERIFY(!screen.usesBacklight()); // the QML blacks the screen out instead
        QCOMPARE(fallback.count(), 1);
        screen.wake(); // logged once: no second warning, no crash
        screen.setOffAfterMs(50);
        QTRY_COMPARE_WITH_TIMEOUT(screen.state(), ScreenPower::Off, 5000);
    }

    void unusableBacklightIsBlackScreen()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("cannot be used"));
        ScreenPower screen;
        KioskConfig config;
        config.backlight = m_dir.filePath(QStringLiteral("nothing-here"));
        screen.configure(config);
        QVERIFY(!screen.usesBacklight());
    }

    void scheduleKeepsTheScreenOff()
    {
        QVERIFY(ScreenPower::inSchedule(22 * 60, 7 * 60, 23 * 60));
        QVERIFY(ScreenPower::inSchedule(22 * 60, 7 * 60, 0));
        QVERIFY(ScreenPower::inSchedule(22 * 60, 7 * 60, 6 * 60 + 59));
        QVERIFY(!ScreenPower::inSchedule(22 * 60, 7 * 60, 7 * 60));
        QVERIFY(!ScreenPower::inSchedule(22 * 60, 7 * 60, 12 * 60));
        QVERIFY(ScreenPower::inSchedule(9 * 60, 17 * 60, 9 * 60));
        QVERIFY(!ScreenPower::inSchedule(9 * 60, 17 * 60, 17 * 60));
        QVERIFY(!ScreenPower::inSchedule(-1, -1, 0));

        ScreenPower screen;
        KioskConfig config;
        config.backlight = QStringLiteral("none");
        config.scheduleFrom = 22 * 60;
        config.scheduleTo = 7 * 60;
        config.offAfterMinutes = 0;
        int minute = 12 * 60;
        screen.setClock([&minute] { return minute; });
        screen.configure(config);
        QCOMPARE(screen.state(), ScreenPower::On);
        minute = 23 * 60; // in the hours, nobody touching for a minute: off
        screen.setOffAfterMs(1); // and a wake lasts as long as that, at most a minute
        QTRY_COMPARE_WITH_TIMEOUT(screen.state(), ScreenPower::Off, 5000);
        screen.setOffAfterMs(0);
        minute = 7 * 60 + 1; // the hours are over: on again by itself
        screen.setClock([&minute] { return minute; });
        QCOMPARE(screen.state(), ScreenPower::On);
    }

    void pinHashIsSaltedAndChecked()
    {
        QCOMPARE(PinHash::checkPin(QStringLiteral("123")),
                 QStringLiteral("the PIN must be 4 to 12 digits"));
        QVERIFY(!PinHash::checkPin(QStringLiteral("12a4")).isEmpty());
        QVERIFY(PinHash::checkPin(QStringLiteral("0000")).isEmpty());
        const QString a = PinHash::hash(QStringLiteral("4711"), 2000);
        const QString b = PinHash::hash(QStringLiteral("4711"), 2000);
        QVERIFY(a.startsWith(QStringLiteral("pbkdf2-sha256$2000$")));
        QVERIFY(a != b); // a fresh salt each time
        QVERIFY(!a.contains(QStringLiteral("4711")));
        QVERIFY(PinHash::verify(QStringLiteral("4711"), a));
        QVERIFY(PinHash::verify(QStringLiteral("4711"), b));
        QVERIFY(!PinHash::verify(QStringLiteral("4712"), a));
        QVERIFY(!PinHash::verify(QStringLiteral("4711"), QStringLiteral("4711")));
        QVERIFY(PinHash::checkStored(QStringLiteral("admin-pin"), a).isEmpty());
        QVERIFY(PinHash::checkStored(QStringLiteral("admin-pin"), QStringLiteral("4711"))
                    .contains(QStringLiteral("mjpeg-kiosk --hash-pin")));
        // A tampered iteration count is refused rather than obeyed.
        QString cheap = a;
        cheap.replace(QStringLiteral("$2000$"), QStringLiteral("$1$"));
        QVERIFY(!PinHash::checkStored(QStringLiteral("admin-pin"), cheap).isEmpty());
        QVERIFY(!PinHash::verify(QStringLiteral("4711"), cheap));
    }
};

QTEST_GUILESS_MAIN(TestScreenPower)
#include "tst_screenpower.moc"
