// The mjpeg-kiosk binary itself: what a user or a service manager sees of it.

#include "appprocess.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTcpServer>
#include <QTest>

using namespace TestSupport;

class TestApp : public QObject
{
    Q_OBJECT

private slots:
    void servesHeadless();
    void portInUse();
    void badOption_data();
    void badOption();
    void helpAndVersion();
    void sigtermExitsCleanly();
    void noDisplayServesHeadless_data();
    void noDisplayServesHeadless();
};

void TestApp::servesHeadless()
{
    AppProcess app;
    const quint16 port = app.startListening();
    QVERIFY2(port != 0, qPrintable(app.output()));

    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/snapshot").head.status, 200, kWaitMs);
    const HttpResult snapshot = get(port, "/snapshot");
    QImage image;
    QVERIFY(image.loadFromData(snapshot.body, "JPEG"));
    QCOMPARE(image.size(), QSize(320, 240));

    // The figures are refreshed a few times a second: the source's size shows up soon.
    QTRY_COMPARE_WITH_TIMEOUT(status(port).value("source").toObject().value("width").toInt(), 320,
                              kWaitMs);
    QCOMPARE(status(port).value("source").toObject().value("height").toInt(), 240);
    QCOMPARE(get(port, "/nope").head.status, 404);

    StreamClient viewer;
    viewer.open(port);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 5 || !viewer.error().isEmpty(), kWaitMs);
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
}

void TestApp::portInUse()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    const QString port = QString::number(blocker.serverPort());
    AppProcess app;
    app.start({QStringLiteral("--headless"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
               QStringLiteral("--port"), port});
    QVERIFY(app.waitForExit());
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QVERIFY(app.process().exitCode() != 0);
    QVERIFY2(app.output().contains(QStringLiteral("port ") + port), qPrintable(app.output()));
}

void TestApp::badOption_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown option") << QStringList{"--headless", "--bogus"} << "bogus";
    QTest::newRow("fps zero") << QStringList{"--headless", "--fps", "0"} << "fps";
    QTest::newRow("fps word") << QStringList{"--headless", "--fps", "fast"} << "fps";
    QTest::newRow("port too big") << QStringList{"--headless", "--port", "70000"} << "port";
    QTest::newRow("resolution") << QStringList{"--headless", "--resolution", "12x"} << "resolution";
    QTest::newRow("quality") << QStringList{"--headless", "--quality", "101"} << "quality";
    QTest::newRow("host") << QStringList{"--headless", "--host", "not an address"} << "host";
    QTest::newRow("missing value") << QStringList{"--headless", "--port"} << "port";
    QTest::newRow("positional") << QStringList{"--headless", "extra"} << "extra";
    // Rows of the second wave's options (issues 14, 15, 16): each names itself, exit 2.
    QTest::newRow("rotate 45") << QStringList{"--headless", "--rotate", "45"} << "rotate";
    QTest::newRow("flip sideways") << QStringList{"--headless", "--flip", "sideways"} << "flip";
    QTest::newRow("crop zero") << QStringList{"--headless", "--crop", "0x0+0+0"} << "crop";
    QTest::newRow("crop outside") << QStringList{"--headless", "--crop", "640x480+1000+500"}
                                  << "crop";
    QTest::newRow("clear pin") << QStringList{"--headless", "--admin-pin", "1234"} << "hash-pin";
    QTest::newRow("schedule") << QStringList{"--headless", "--screen-schedule", "25:00-7"}
                              << "screen-schedule";
    QTest::newRow("dim negative") << QStringList{"--headless", "--screen-dim-after", "-1"}
                                  << "screen-dim-after";
    QTest::newRow("off absurd") << QStringList{"--headless", "--screen-off-after", "100000"}
                                << "screen-off-after";
    QTest::newRow("allow-control")
        << QStringList{"--headless", "--allow-control", "nowhere"} << "allow-control";
    // Issue 14 item 5: the message names the option and the quarter turns it takes.
    QTest::newRow("screen-rotation 45") << QStringList{"--headless", "--screen-rotation", "45"}
                                        << "screen-rotation must be 0, 90, 180 or 270";
    // Issue 19: cameras by name.
    QTest::newRow("camera name") << QStringList{"--headless", "--camera", "Front Door=test"}
                                 << "camera name 'Front Door' must be 1 to 32 of a-z";
    QTest::newRow("camera twice") << QStringList{"--headless", "--camera", "door=test", "--camera",
                                                 "door=test"}
                                  << "camera name 'door' is given twice";
    QTest::newRow("camera device")
        << QStringList{"--headless", "--camera", "a=/dev/video0", "--camera", "b=0"}
        << "cameras 'a' and 'b' both use 0: a device, file or URL serves one camera";
    QTest::newRow("camera and source")
        << QStringList{"--headless", "--camera", "a=test", "--source", "test"}
        << "give --source or --camera, not both";
    QStringList many{"--headless"};
    for (int i = 0; i < 17; ++i)
        many << "--camera" << QStringLiteral("c%1=test").arg(i);
    QTest::newRow("17 cameras") << many << "at most 16 cameras";
    QTest::newRow("privacy") << QStringList{"--headless", "--privacy", "maybe"}
                             << "privacy must be on or off";
}

void TestApp::badOption()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    AppProcess app;
    app.start(arguments);
    QVERIFY(app.waitForExit());
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 2);
    QVERIFY2(app.output().contains(mentions, Qt::CaseInsensitive), qPrintable(app.output()));
    QVERIFY(!app.output().contains(QStringLiteral("listening on")));
}

void TestApp::helpAndVersion()
{
    AppProcess help;
    help.start({QStringLiteral("--help")});
    QVERIFY(help.waitForExit());
    QCOMPARE(help.process().exitCode(), 0);
    QVERIFY(help.output().contains(QStringLiteral("--headless")));
    AppProcess version;
    version.start({QStringLiteral("--version")});
    QVERIFY(version.waitForExit());
    QCOMPARE(version.process().exitCode(), 0);
    QVERIFY(version.output().contains(QStringLiteral("mjpeg-kiosk ")));
}

void TestApp::sigtermExitsCleanly()
{
    AppProcess app;
    const quint16 port = app.startListening();
    QVERIFY2(port != 0, qPrintable(app.output()));
    // With a viewer connected, as in real life (/stream answers 503 until the first frame).
    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/snapshot").head.status, 200, kWaitMs);
    StreamClient viewer;
    viewer.open(port);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 2, kWaitMs);

    app.process().terminate(); // SIGTERM
    QVERIFY2(app.waitForExit(), "still running after SIGTERM");
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 0);
    QVERIFY2(app.output().contains(QStringLiteral("shutting down")), qPrintable(app.output()));
    QTRY_VERIFY_WITH_TIMEOUT(viewer.isUnconnected(), kWaitMs);
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
}

void TestApp::noDisplayServesHeadless_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QString>("tried");
    QTest::newRow("no platform named") << QString() << "DISPLAY";
    QTest::newRow("xcb") << "xcb"
                         << "DISPLAY is not set";
    QTest::newRow("eglfs") << "eglfs"
                           << "/dev/dri/card";
}

void TestApp::noDisplayServesHeadless()
{
    QFETCH(QString, platform);
    QFETCH(QString, tried);
    if (platform == QLatin1String("eglfs")) {
        const QDir dri(QStringLiteral("/dev/dri"));
        for (const QString &card : dri.entryList({QStringLiteral("card*")}, QDir::System)) {
            if (QFile(dri.filePath(card)).open(QIODevice::ReadWrite))
                QSKIP("this machine has a usable DRM device: eglfs could open a window");
        }
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "XDG_SESSION_TYPE",
                             "QT_QPA_PLATFORM", "QT_QPA_EGLFS_INTEGRATION"})
        env.remove(QLatin1String(name));
    if (!platform.isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    AppProcess app;
    app.process().setProcessEnvironment(env);
    QStringList arguments = AppProcess::defaultArguments();
    arguments.removeAll(QStringLiteral("--headless"));
    const quint16 port = app.startListening(arguments);
    QVERIFY2(port != 0, qPrintable(app.output()));
    QCOMPARE(get(port, "/status").head.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/snapshot").head.status, 200, kWaitMs);

    // One line says why there is no window, what was tried and how to choose.
    const QStringList lines = app.output().split(QLatin1Char('\n'));
    QStringList said;
    for (const QString &line : lines) {
        if (line.contains(QLatin1String("no window can be opened")))
            said << line;
    }
    QCOMPARE(said.size(), 1);
    QVERIFY2(said.first().contains(tried), qPrintable(said.first()));
    for (const char *choice : {"--headless", "QT_QPA_PLATFORM=eglfs", "display"})
        QVERIFY2(said.first().contains(QLatin1String(choice)), qPrintable(said.first()));

    app.process().terminate(); // SIGTERM
    QVERIFY2(app.waitForExit(), "still running after SIGTERM");
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestApp)
#include "tst_app.moc"
