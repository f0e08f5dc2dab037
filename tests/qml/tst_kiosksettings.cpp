#include "app/options.h"
#include "pipeline/pipeline.h"
#include "ui/humanunits.h"
#include "ui/kiosksettings.h"

#include "testclient.h"

#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

// What the settings panel saved comes back at the next start, except what the command line
// says; a saved value that no longer passes the checks is ignored.
class TestKioskSettings : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("mjpeg-kiosk-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_kiosksettings"));
    }

    void init() { QSettings().clear(); }

    void savedSettingsReplaceDefaults()
    {
        QSettings settings;
        settings.setValue(QStringLiteral("source"), QStringLiteral("/dev/video2"));
        settings.setValue(QStringLiteral("resolution"), QStringLiteral("640x480"));
        settings.setValue(QStringLiteral("fps"), 12.5);
        settings.setValue(QStringLiteral("quality"), 55);
        settings.setValue(QStringLiteral("port"), 9090);
        settings.setValue(QStringLiteral("password"), QStringLiteral("pw"));
        settings.sync();

        PipelineConfig config;
        KioskSettings::restore(&config, {});
        QCOMPARE(config.source, QStringLiteral("/dev/video2"));
        QCOMPARE(config.resolution, QSize(640, 480));
        QCOMPARE(config.fps, 12.5);
        QCOMPARE(config.quality, 55);
        QCOMPARE(config.server.port, quint16(9090));
        QCOMPARE(config.server.password, QByteArray("pw"));
    }

    // The hints beside the password name the user viewers log in with (--user).
    void userNameIsTheServers()
    {
        PipelineConfig config;
        config.source = QStringLiteral("test");
        config.server.host = QHostAddress::LocalHost;
        config.server.port = 0;
        config.server.user = "guest";
        Pipeline pipeline;
        QVERIFY2(pipeline.start(config), qPrintable(pipeline.errorString()));
        KioskSettings settings(&pipeline);
        QCOMPARE(settings.user(), QStringLiteral("guest"));
    }

    void commandLineWins()
    {
        QSettings settings;
        settings.setValue(QStringLiteral("port"), 9090);
        settings.setValue(QStringLiteral("quality"), 55);
        settings.sync();

        PipelineConfig config;
        config.server.port = 7000; // as --port 7000 left it
        KioskSettings::restore(&config, {QStringLiteral("port")});
        QCOMPARE(config.server.port, quint16(7000));
        QCOMPARE(config.quality, 55);
    }

    void badSavedValuesAreIgnored()
    {
        QSettings settings;
        settings.setValue(QStringLiteral("resolution"), QStringLiteral("huge"));
        settings.setValue(QStringLiteral("quality"), 500);
        settings.sync();

        PipelineConfig config;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("ignoring saved resolution"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("ignoring saved quality"));
        KioskSettings::restore(&config, {});
        QCOMPARE(config.resolution, PipelineConfig().resolution);
        QCOMPARE(config.quality, PipelineConfig().quality);
    }

    // Issue 19 item 5: a camera added, renamed and removed from the panel, live (the server
    // serves it under /camera/NAME/ at once) and saved: the next start has the same cameras,
    // each with what it has of its own.
    void camerasAddedRenamedRemovedAndSaved()
    {
        Pipeline pipeline;
        QVERIFY2(pipeline.start(testPattern()), qPrintable(pipeline.errorString()));
        const quint16 port = pipeline.server()->port();
        KioskSettings settings(&pipeline);
        QSignalSpy changed(&settings, &KioskSettings::camerasChanged);

        QCOMPARE(settings.addCamera(QStringLiteral("door"), QStringLiteral("test")), QString());
        QCOMPARE(pipeline.cameraCount(), 2);
        QVERIFY(pipeline.camera(QStringLiteral("door")));
        QCOMPARE(pipeline.camera(QStringLiteral("door"))->config().quality, 61); // the first's
        QVERIFY(changed.count() >= 1);
        QCOMPARE(settings.cameras().value(1).toMap().value(QStringLiteral("name")).toString(),
                 QStringLiteral("door"));
        QVERIFY(snapshotDecodes(port, "/camera/door/snapshot"));
        QCOMPARE(pipeline.camera(QStringLiteral("door"))->config().quality, 61);

        QCOMPARE(settings.renameCamera(QStringLiteral("door"), QStringLiteral("gate")), QString());
        QVERIFY(!pipeline.camera(QStringLiteral("door")));
        QVERIFY(pipeline.camera(QStringLiteral("gate")));
        QCOMPARE(TestSupport::get(port, "/camera/door/snapshot").head.status, 404);
        QVERIFY(snapshotDecodes(port, "/camera/gate/snapshot"));
        QCOMPARE(settings.addCamera(QStringLiteral("yard"), QStringLiteral("test")), QString());

        // What comes back at the next start: the cameras in order, each its source.
        PipelineConfig restored = testPattern();
        KioskSettings::restore(&restored, {});
        QCOMPARE(names(restored.cameras), QStringList({"main", "gate", "yard"}));
        QCOMPARE(restored.cameras[1].source, QStringLiteral("test"));
        QCOMPARE(restored.cameras[1].quality, 61);

        QCOMPARE(settings.removeCamera(QStringLiteral("gate")), QString());
        QVERIFY(!pipeline.camera(QStringLiteral("gate")));
        QCOMPARE(TestSupport::get(port, "/camera/gate/snapshot").head.status, 404);
        restored = testPattern();
        KioskSettings::restore(&restored, {});
        QCOMPARE(names(restored.cameras), QStringList({"main", "yard"}));
        // The command line's (or the file's) cameras win over the saved ones.
        restored = testPattern();
        KioskSettings::restore(&restored, {QStringLiteral("camera")});
        QVERIFY(restored.cameras.isEmpty());
        restored = testPattern();
        KioskSettings::restore(&restored, {QStringLiteral("source")});
        QVERIFY(restored.cameras.isEmpty());
    }

    // A camera's own settings are saved with it: the next start gives each camera its own.
    void cameraSettingsOfItsOwnAreSaved()
    {
        Pipeline pipeline;
        QVERIFY2(pipeline.start(testPattern()), qPrintable(pipeline.errorString()));
        KioskSettings settings(&pipeline);
        QCOMPARE(settings.addCamera(QStringLiteral("door"), QStringLiteral("test")), QString());
        pipeline.camera(QStringLiteral("door"))->setQuality(33);
        // Saved with the next change of the list (or of the settings).
        QCOMPARE(settings.addCamera(QStringLiteral("yard"), QStringLiteral("test")), QString());
        PipelineConfig restored = testPattern();
        KioskSettings::restore(&restored, {});
        QCOMPARE(names(restored.cameras), QStringList({"main", "door", "yard"}));
        QCOMPARE(restored.cameras[0].quality, 61);
        QCOMPARE(restored.cameras[1].quality, 33);
        QVERIFY(restored.cameras[1].qualityForced);
        QCOMPARE(restored.cameras[2].quality, 61);
    }

    // The panel's camera fields are the shown camera's (the screen's current one): another
    // camera's changes reach that camera only, and are saved with the camera list, not as the
    // first camera's.
    void fieldsFollowTheShownCamera()
    {
        Pipeline pipeline;
        QVERIFY2(pipeline.start(testPattern()), qPrintable(pipeline.errorString()));
        KioskSettings settings(&pipeline);
        QCOMPARE(settings.addCamera(QStringLiteral("door"), QStringLiteral("test:door")),
                 QString());
        Camera *door = pipeline.camera(QStringLiteral("door"));
        QCOMPARE(settings.quality(), QStringLiteral("61"));
        QSignalSpy changed(&settings, &KioskSettings::changed);
        settings.setCamera(door);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(settings.source(), QStringLiteral("test:door"));
        const QVariantMap errors
            = settings.apply({{QStringLiteral("quality"), QStringLiteral("44")},
                              {QStringLiteral("rotate"), QStringLiteral("180")}});
        QVERIFY2(errors.isEmpty(), qPrintable(errors.keys().join(u',')));
        QCOMPARE(door->config().quality, 44);
        QCOMPARE(door->transform().rotate, 180);
        QCOMPARE(pipeline.camera()->config().quality, 61);
        QCOMPARE(pipeline.camera()->transform().rotate, 0);
        QCOMPARE(settings.quality(), QStringLiteral("44"));
        QVERIFY(!QSettings().contains(QStringLiteral("quality")));
        PipelineConfig restored = testPattern();
        KioskSettings::restore(&restored, {});
        QCOMPARE(names(restored.cameras), QStringList({"main", "door"}));
        QCOMPARE(restored.cameras[0].quality, 61);
        QCOMPARE(restored.cameras[1].quality, 44);
        QCOMPARE(restored.cameras[1].transform.rotate, 180);
        // The shown camera removed: the fields are the first camera's again.
        QCOMPARE(settings.removeCamera(QStringLiteral("door")), QString());
        QCOMPARE(settings.quality(), QStringLiteral("61"));
    }

    // Refusals: the pipeline's reason, nothing changed, nothing saved.
    void cameraChangesRefused()
    {
        Pipeline pipeline;
        PipelineConfig config = testPattern();
        // A camera that is not there (no signal, retried): its node is still taken.
        config.source = QStringLiteral("/dev/video7");
        QVERIFY2(pipeline.start(config), qPrintable(pipeline.errorString()));
        KioskSettings settings(&pipeline);
        QSignalSpy changed(&settings, &KioskSettings::camerasChanged);
        const QMap<QString, QPair<QString, QString>> refusals{
            {QStringLiteral("camera name 'Door' must be 1 to 32 of a-z, 0-9 and '-'"),
             {QStringLiteral("Door"), QStringLiteral("test")}},
            {QStringLiteral("main"), {QStringLiteral("main"), QStringLiteral("test")}},
            {QStringLiteral("cameras 'main' and 'door' both use 7"),
             {QStringLiteral("door"), QStringLiteral("7")}},
            {QStringLiteral("source must not be empty"),
             {QStringLiteral("door"), QStringLiteral(" ")}},
        };
        for (auto it = refusals.cbegin(); it != refusals.cend(); ++it) {
            const QString error = settings.addCamera(it.value().first, it.value().second);
            QVERIFY2(error.contains(it.key()), qPrintable(error));
        }
        QVERIFY2(settings.checkCameraName(QStringLiteral("main")).contains(QLatin1String("main")),
                 qPrintable(settings.checkCameraName(QStringLiteral("main"))));
        QCOMPARE(settings.checkCameraName(QStringLiteral("door")), QString());
        QVERIFY(!settings.removeCamera(QStringLiteral("main")).isEmpty()); // the last one
        QVERIFY(!settings.removeCamera(QStringLiteral("nobody")).isEmpty());
        QVERIFY(!settings.renameCamera(QStringLiteral("main"), QStringLiteral("Bad")).isEmpty());
        QCOMPARE(pipeline.cameraCount(), 1);
        QCOMPARE(pipeline.camera()->name(), QStringLiteral("main"));
        QCOMPARE(changed.count(), 0);
        QVERIFY(!QSettings().contains(QStringLiteral("cameras/size")));
    }

    // A saved list that no longer passes the checks is ignored as a whole, with a warning.
    void badSavedCamerasAreIgnored()
    {
        QSettings settings;
        settings.beginWriteArray(QStringLiteral("cameras"), 2);
        for (int i = 0; i < 2; ++i) {
            settings.setArrayIndex(i);
            settings.setValue(QStringLiteral("name"), QStringLiteral("same"));
            settings.setValue(QStringLiteral("source"), QStringLiteral("test"));
        }
        settings.endArray();
        settings.sync();
        PipelineConfig config;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("ignoring the saved cameras"));
        KioskSettings::restore(&config, {});
        QVERIFY(config.cameras.isEmpty());
    }

    // The panel checks a value as the command line does: the same refusals, the same words
    // (the password character rule was the panel's alone).
    void panelRefusesWhatTheCommandLineRefuses_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("good");
        QTest::newRow("password non-ASCII") << "password" << QStringLiteral("p\u00e4ss") << false;
        QTest::newRow("password tab") << "password"
                                      << "a\tb" << false;
        QTest::newRow("password") << "password"
                                  << "s3cret ~!" << true;
        QTest::newRow("fps zero") << "fps"
                                  << "0" << false;
        QTest::newRow("fps word") << "fps"
                                  << "fast" << false;
        QTest::newRow("fps") << "fps"
                             << "12.5" << true;
        QTest::newRow("quality") << "quality"
                                 << "101" << false;
        QTest::newRow("port") << "port"
                              << "70000" << false;
        QTest::newRow("port 0") << "port"
                                << "0" << true;
        QTest::newRow("resolution odd") << "resolution"
                                        << "1281x720" << false;
        QTest::newRow("resolution") << "resolution"
                                    << "12x" << false;
        QTest::newRow("source blank") << "source"
                                      << "  " << false;
        QTest::newRow("source") << "source"
                                << "/dev/video3" << true;
        QTest::newRow("rotate 45") << "rotate"
                                   << "45" << false;
        QTest::newRow("rotate") << "rotate"
                                << "270" << true;
        QTest::newRow("flip sideways") << "flip"
                                       << "sideways" << false;
        QTest::newRow("flip") << "flip"
                              << "horizontal" << true;
        QTest::newRow("crop zero") << "crop"
                                   << "0x0+0+0" << false;
        QTest::newRow("crop") << "crop"
                              << "640x360+16+16" << true;
        QTest::newRow("screen-rotation 45") << "screen-rotation"
                                            << "45" << false;
        QTest::newRow("screen-rotation") << "screen-rotation"
                                         << "270" << true;
    }

    // Rotation and crop from the panel: live (/status says so) and saved; a crop outside the
    // rotated picture is refused with the reason and nothing is saved.
    void transformAppliedAndSaved()
    {
        PipelineConfig config;
        config.source = QStringLiteral("test");
        config.server.host = QHostAddress::LocalHost;
        config.server.port = 0;
        Pipeline pipeline;
        QVERIFY2(pipeline.start(config), qPrintable(pipeline.errorString()));
        KioskSettings settings(&pipeline);
        QVariantMap refused
            = settings.apply({{QStringLiteral("rotate"), QStringLiteral("90")},
                              {QStringLiteral("crop"), QStringLiteral("1280x720+0+0")}});
        QVERIFY2(refused.value(QStringLiteral("crop"))
                     .toString()
                     .contains(QLatin1String("crop 1280x720+0+0 is outside the 720x1280 picture")),
                 qPrintable(refused.value(QStringLiteral("crop")).toString()));
        QCOMPARE(pipeline.camera()->transform().rotate, 0);
        QVERIFY(!QSettings().contains(QStringLiteral("rotate")));

        QVERIFY(settings
                    .apply({{QStringLiteral("rotate"), QStringLiteral("90")},
                            {QStringLiteral("crop"), QStringLiteral("720x640+0+320")}})
                    .isEmpty());
        QCOMPARE(pipeline.camera()->transform().rotate, 90);
        QCOMPARE(pipeline.camera()->transform().crop, QRect(0, 320, 720, 640));
        QCOMPARE(settings.crop(), QStringLiteral("720x640+0+320"));
        QCOMPARE(QSettings().value(QStringLiteral("rotate")).toInt(), 90);
        QCOMPARE(QSettings().value(QStringLiteral("crop")).toString(),
                 QStringLiteral("720x640+0+320"));
        // The test pattern's frames come out turned and cropped.
        QTRY_COMPARE_WITH_TIMEOUT(pipeline.camera()->latestFrame().size(), QSize(720, 640), 10000);

        PipelineConfig restored;
        KioskSettings::restore(&restored, {});
        QCOMPARE(restored.transform.rotate, 90);
        QCOMPARE(restored.transform.crop, QRect(0, 320, 720, 640));
    }

    // The screen's rotation from the panel: handed on at once (the UI turns) and saved; a
    // refused value says why, and changes and saves nothing.
    void screenRotationAppliedAndSaved()
    {
        PipelineConfig config;
        config.source = QStringLiteral("test");
        config.server.host = QHostAddress::LocalHost;
        config.server.port = 0;
        Pipeline pipeline;
        QVERIFY2(pipeline.start(config), qPrintable(pipeline.errorString()));
        KioskSettings settings(&pipeline);
        QList<int> handedOn;
        connect(&settings, &KioskSettings::kioskChanged, this,
                [&handedOn](const KioskConfig &kiosk) { handedOn.append(kiosk.screenRotation); });
        const QString field = QStringLiteral("screen-rotation");
        QCOMPARE(settings.apply({{field, QStringLiteral("45")}}).value(field).toString(),
                 QStringLiteral("screen-rotation must be 0, 90, 180 or 270 (degrees clockwise), "
                                "not '45'"));
        QVERIFY(handedOn.isEmpty());
        QVERIFY(!QSettings().contains(field));
        QCOMPARE(settings.screenRotation(), QStringLiteral("0"));

        QVERIFY(settings.apply({{field, QStringLiteral("270")}}).isEmpty());
        QCOMPARE(handedOn, QList<int>{270});
        QCOMPARE(pipeline.config().kiosk.screenRotation, 270);
        QCOMPARE(settings.screenRotation(), QStringLiteral("270"));
        QCOMPARE(QSettings().value(field).toInt(), 270);
        PipelineConfig restored;
        KioskSettings::restore(&restored, {});
        QCOMPARE(restored.kiosk.screenRotation, 270);
        // The command line wins over the saved value.
        PipelineConfig given;
        KioskSettings::restore(&given, {field});
        QCOMPARE(given.kiosk.screenRotation, 0);
    }

    void panelRefusesWhatTheCommandLineRefuses()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(bool, good);
        Options options;
        QString commandLine;
        const auto outcome = Options::parse({QStringLiteral("app"), QStringLiteral("--config"),
                                             QString(), QStringLiteral("--") + field, text},
                                            &options, &commandLine);
        QCOMPARE(outcome, good ? Options::Outcome::Run : Options::Outcome::ExitError);
        Pipeline pipeline; // not started: checking needs none
        const KioskSettings settings(&pipeline);
        const QString panel = settings.check(field, text);
        QCOMPARE(panel.isEmpty(), good);
        if (!good)
            QCOMPARE(QCoreApplication::applicationName() + QStringLiteral(": ") + panel,
                     commandLine);
    }

    // The panel's labels say the table's ranges.
    void rangesComeFromTheTable()
    {
        Pipeline pipeline;
        const KioskSettings settings(&pipeline);
        QCOMPARE(settings.range(QStringLiteral("fps")), QStringLiteral("1\u2013120"));
        QCOMPARE(settings.range(QStringLiteral("quality")), QStringLiteral("1\u2013100"));
        QCOMPARE(settings.range(QStringLiteral("source")), QString());
        QCOMPARE(settings.range(QStringLiteral("max-clients")), QString()); // not in the panel
    }

    void niceCeiling_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("floor");
        QTest::addColumn<double>("expected");
        QTest::newRow("zero → floor") << 0.0 << 1000.0 << 1000.0;
        QTest::newRow("1.2 kB") << 1200.0 << 1.0 << 2000.0;
        QTest::newRow("exact") << 5000.0 << 1.0 << 5000.0;
        QTest::newRow("5.1") << 5.1 << 1.0 << 10.0;
        QTest::newRow("31 fps") << 31.0 << 10.0 << 50.0;
        QTest::newRow("3.4 MB") << 3.4e6 << 1.0 << 5e6;
    }

    void niceCeiling()
    {
        QFETCH(double, value);
        QFETCH(double, floor);
        QFETCH(double, expected);
        QCOMPARE(HumanUnits::niceCeiling(value, floor), expected);
    }

private:
    static PipelineConfig testPattern()
    {
        PipelineConfig config;
        config.source = QStringLiteral("test");
        config.resolution = QSize(320, 240);
        config.quality = 61;
        config.server.host = QHostAddress::LocalHost;
        config.server.port = 0;
        return config;
    }
    static QStringList names(const QList<CameraConfig> &cameras)
    {
        QStringList list;
        for (const CameraConfig &camera : cameras)
            list.append(camera.name);
        return list;
    }
    // Waits for `target` to answer a JPEG that decodes.
    static bool snapshotDecodes(quint16 port, const QByteArray &target)
    {
        return TestSupport::waitUntil([&] {
            const TestSupport::HttpResult r = TestSupport::get(port, target);
            return r.head.status == 200 && !QImage::fromData(r.body, "JPEG").isNull();
        });
    }

    QTemporaryDir m_config;
};

QTEST_MAIN(TestKioskSettings) // a GUI application: the test pattern draws text

#include "tst_kiosksettings.moc"
