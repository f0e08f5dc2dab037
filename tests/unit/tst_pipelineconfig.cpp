#include "pipeline/pipelineconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

// PipelineConfig's checks, which the option table's rows use: what each accepts, what it
// stores, and that each refusal names the option and the value given.
class TestPipelineConfig : public QObject
{
    Q_OBJECT

private slots:
    void resolution_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QSize>("expected"); // invalid: refused
        QTest::addColumn<QString>("says");
        QTest::newRow("plain") << "1280x720" << QSize(1280, 720) << "";
        QTest::newRow("capital X, spaces") << " 640X480 " << QSize(640, 480) << "";
        QTest::newRow("smallest") << "16x16" << QSize(16, 16) << "";
        QTest::newRow("largest") << "7680x4320" << QSize(7680, 4320) << "";
        QTest::newRow("too small") << "14x16" << QSize() << "out of range";
        QTest::newRow("too wide") << "7682x4320" << QSize() << "out of range";
        QTest::newRow("odd") << "1281x720" << QSize() << "even";
        QTest::newRow("half") << "12x" << QSize() << "must look like 1280x720";
        QTest::newRow("negative") << "-640x480" << QSize() << "must look like";
        QTest::newRow("six digits") << "100000x16" << QSize() << "must look like";
        QTest::newRow("empty") << "" << QSize() << "must look like";
    }
    void resolution()
    {
        QFETCH(QString, text);
        QFETCH(QSize, expected);
        QFETCH(QString, says);
        QSize size(1, 1);
        const QString error = PipelineConfig::parseResolution(text, &size);
        if (expected.isValid()) {
            QCOMPARE(error, QString());
            QCOMPARE(size, expected);
        } else {
            QVERIFY2(error.startsWith(QLatin1String("resolution")), qPrintable(error));
            QVERIFY2(error.contains(says) && error.contains(text), qPrintable(error));
            QCOMPARE(size, QSize(1, 1)); // untouched
        }
    }

    void encoderNamesRoundTrip()
    {
        using E = PipelineConfig::Encoder;
        for (const E e : {E::Auto, E::Cpu, E::Passthrough}) {
            E parsed = e == E::Auto ? E::Cpu : E::Auto;
            QCOMPARE(PipelineConfig::parseEncoder(PipelineConfig::encoderName(e), &parsed),
                     QString());
            QCOMPARE(parsed, e);
        }
        E parsed = E::Auto;
        QCOMPARE(PipelineConfig::parseEncoder(QStringLiteral(" CPU "), &parsed), QString());
        QCOMPARE(parsed, E::Cpu);
        QCOMPARE(PipelineConfig::parseEncoder(QStringLiteral("gpu"), &parsed),
                 QStringLiteral("encoder must be auto, cpu or passthrough, not 'gpu'"));
        QCOMPARE(parsed, E::Cpu);
    }

    void host_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // QHostAddress text; empty: refused
        QTest::newRow("any") << "0.0.0.0" << QHostAddress(QHostAddress::Any).toString();
        QTest::newRow("star") << "*" << QHostAddress(QHostAddress::Any).toString();
        QTest::newRow("empty") << "" << QHostAddress(QHostAddress::Any).toString();
        QTest::newRow("localhost") << "localhost"
                                   << "127.0.0.1";
        QTest::newRow("v4") << " 192.168.1.2 "
                            << "192.168.1.2";
        QTest::newRow("v6") << "::1"
                            << "::1";
        QTest::newRow("name") << "example.org"
                              << "";
        QTest::newRow("words") << "not an address"
                               << "";
    }
    void host()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QHostAddress address(QStringLiteral("10.9.8.7"));
        const QString error = PipelineConfig::parseHost(text, &address);
        if (expected.isEmpty()) {
            QCOMPARE(error,
                     QStringLiteral("host must be an IP address to listen on, not '%1'").arg(text));
            QCOMPARE(address, QHostAddress(QStringLiteral("10.9.8.7")));
        } else {
            QCOMPARE(error, QString());
            QCOMPARE(address.toString(), expected);
            // What --help shows as the default goes back through the check unchanged.
            QHostAddress again;
            QCOMPARE(PipelineConfig::parseHost(PipelineConfig::hostName(address), &again),
                     QString());
            QCOMPARE(again, address);
        }
    }

    void wholeNumberBounds()
    {
        int value = -7;
        QCOMPARE(
            PipelineConfig::parsePositive(QStringLiteral("n"), QStringLiteral("0"), 0, 9, &value),
            QString());
        QCOMPARE(value, 0);
        QCOMPARE(
            PipelineConfig::parsePositive(QStringLiteral("n"), QStringLiteral(" 9 "), 0, 9, &value),
            QString());
        QCOMPARE(value, 9);
        for (const char *bad : {"10", "-1", "1.5", "nine", "", "0x5"}) {
            value = 4;
            QCOMPARE(PipelineConfig::parsePositive(QStringLiteral("max-clients"),
                                                   QString::fromLatin1(bad), 0, 9, &value),
                     QStringLiteral("max-clients must be a whole number from 0 to 9, not '%1'")
                         .arg(QString::fromLatin1(bad)));
            QCOMPARE(value, 4);
        }
    }

    void decimalBounds()
    {
        double value = -1;
        QCOMPARE(PipelineConfig::parseNumber(QStringLiteral("fps"), QStringLiteral("12.5"), 1, 120,
                                             {}, &value),
                 QString());
        QCOMPARE(value, 12.5);
        QCOMPARE(PipelineConfig::parseNumber(QStringLiteral("t"), QStringLiteral("0.2"), 0.2, 600,
                                             {}, &value),
                 QString());
        QCOMPARE(value, 0.2);
        for (const char *bad : {"0.19", "601", "nan", "inf", "fast", ""}) {
            value = 3;
            QCOMPARE(PipelineConfig::parseNumber(QStringLiteral("source-timeout"),
                                                 QString::fromLatin1(bad), 0.2, 600,
                                                 QStringLiteral(" of seconds"), &value),
                     QStringLiteral("source-timeout must be a number of seconds from 0.2 to "
                                    "600, not '%1'")
                         .arg(QString::fromLatin1(bad)));
            QCOMPARE(value, 3.0);
        }
    }

    void passThroughFollowsEncoderQualityAndOverlay()
    {
        PipelineConfig c;
        QVERIFY(c.passThroughJpeg()); // auto, nothing asks for a re-encode
        c.qualityForced = true;
        QVERIFY(!c.passThroughJpeg());
        c.qualityForced = false;
        c.overlay = QStringLiteral("%H:%M");
        QVERIFY(!c.passThroughJpeg());
        c.encoder = PipelineConfig::Encoder::Passthrough;
        QVERIFY(c.passThroughJpeg());
        c.encoder = PipelineConfig::Encoder::Cpu;
        c.overlay.clear();
        QVERIFY(!c.passThroughJpeg());
    }
    void cameraName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("good");
        QTest::newRow("main") << "main" << true;
        QTest::newRow("digits and dash") << "cam-2" << true;
        QTest::newRow("32") << QString(32, u'a') << true;
        QTest::newRow("33") << QString(33, u'a') << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("upper") << "Door" << false;
        QTest::newRow("space") << "front door" << false;
        QTest::newRow("slash") << "a/b" << false;
        QTest::newRow("underscore") << "a_b" << false;
    }
    void cameraName()
    {
        QFETCH(QString, name);
        QFETCH(bool, good);
        const QString error = CameraConfig::checkCameraName(name);
        if (good)
            QCOMPARE(error, QString());
        else
            QCOMPARE(
                error,
                QStringLiteral("camera name '%1' must be 1 to 32 of a-z, 0-9 and '-'").arg(name));
    }

    // What a spec opens: a camera index is its /dev/videoN, a link (as /dev/v4l/by-id/...) is
    // what it points at; a test pattern is no device at all.
    void exclusiveSource()
    {
        QCOMPARE(CameraConfig::exclusiveSource(QStringLiteral("test")), QString());
        QCOMPARE(CameraConfig::exclusiveSource(QString()), QString());
        QCOMPARE(CameraConfig::exclusiveSource(QStringLiteral("0")), QStringLiteral("/dev/video0"));
        QCOMPARE(CameraConfig::exclusiveSource(QStringLiteral("test:door")), QString());
        QCOMPARE(CameraConfig::exclusiveSource(QStringLiteral("/dev/video3")),
                 QStringLiteral("/dev/video3"));
        QCOMPARE(CameraConfig::exclusiveSource(QStringLiteral("rtsp://cam/a")),
                 QStringLiteral("rtsp://cam/a"));
        QCOMPARE(CameraConfig::exclusiveSource(QStringLiteral("qt:usb-1")),
                 QStringLiteral("qt:usb-1"));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile video(dir.filePath(QStringLiteral("video0")));
        QVERIFY(video.open(QIODevice::WriteOnly));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("by-id")));
        const QString link = dir.filePath(QStringLiteral("by-id/usb-cam"));
        QVERIFY(QFile::link(video.fileName(), link));
        const QString canonical = QFileInfo(video.fileName()).canonicalFilePath();
        QCOMPARE(CameraConfig::exclusiveSource(link), canonical);
        QCOMPARE(CameraConfig::exclusiveSource(dir.path() + QStringLiteral("/by-id/../video0")),
                 canonical);
    }

    void checkCameraList()
    {
        const auto camera = [](const QString &name, const QString &source) {
            CameraConfig c;
            c.name = name;
            c.source = source;
            return c;
        };
        QCOMPARE(CameraConfig::checkCameraList({}), QString());
        QCOMPARE(
            CameraConfig::checkCameraList({camera("a", "test"), camera("b", "test"),
                                           camera("c", "/dev/video0"), camera("d", "/dev/video1")}),
            QString());
        QCOMPARE(CameraConfig::checkCameraList({camera("a", "test"), camera("a", "/dev/video0")}),
                 QStringLiteral("camera name 'a' is given twice"));
        QCOMPARE(CameraConfig::checkCameraList({camera("ok", "test"), camera("No", "test")}),
                 QStringLiteral("camera name 'No' must be 1 to 32 of a-z, 0-9 and '-'"));
        QCOMPARE(
            CameraConfig::checkCameraList(
                {camera("door", "/dev/video0"), camera("x", "test"), camera("yard", "0")}),
            QStringLiteral(
                "cameras 'door' and 'yard' both use 0: a device, file or URL serves one camera"));
        QList<CameraConfig> many;
        for (int i = 0; i < CameraConfig::kMaxCameras; ++i)
            many.append(camera(QStringLiteral("c%1").arg(i), QStringLiteral("test")));
        QCOMPARE(CameraConfig::checkCameraList(many), QString());
        many.append(camera(QStringLiteral("one-more"), QStringLiteral("test")));
        QCOMPARE(CameraConfig::checkCameraList(many), QStringLiteral("at most 16 cameras, not 17"));
    }

    // No cameras listed: the top level's one camera, "main".
    void cameraListDefaultsToMain()
    {
        PipelineConfig c;
        c.source = QStringLiteral("/dev/video4");
        QCOMPARE(c.cameraList().size(), 1);
        QCOMPARE(c.cameraList()[0].name, QStringLiteral("main"));
        QCOMPARE(c.cameraList()[0].source, QStringLiteral("/dev/video4"));
        CameraConfig door;
        door.name = QStringLiteral("door");
        c.cameras.append(door);
        QCOMPARE(c.cameraList().size(), 1);
        QCOMPARE(c.cameraList()[0].name, QStringLiteral("door"));
    }
};

QTEST_GUILESS_MAIN(TestPipelineConfig)
#include "tst_pipelineconfig.moc"
