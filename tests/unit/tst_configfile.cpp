#include "app/configfile.h"
#include "app/options.h"
#include "pipeline/optiontable.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

// The config file against the command line: the same value gives the same result either way
// for every setting of the option table; wrong keys and values are refused naming the file, the
// key and what the command line would say; the command line wins; lists for repeatable options.
class TestConfigFile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    QString write(const QByteArray &text)
    {
        QFile file(m_dir.filePath(QStringLiteral("%1.conf").arg(++m_files)));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(text);
        return file.fileName();
    }

    static Options::Outcome parse(const QStringList &arguments, Options *options, QString *message)
    {
        return Options::parse(QStringList{QStringLiteral("app")} + arguments, options, message);
    }

    // Every value of `options` as the option table reads it, plus what the program reads itself.
    static QStringList everything(const Options &options)
    {
        QStringList values{QString::number(options.headless), QString::number(options.kiosk),
                           QString::number(options.pipeline.qualityForced)};
        for (const OptionSpec &row : OptionTable::rows()) {
            if (row.read)
                values.append(row.name + QLatin1Char('=') + row.read(options.pipeline));
        }
        return values;
    }

    // A good value, other than the default, for each setting.
    static QMap<QString, QString> samples()
    {
        return {
            {"headless", "true"},
            {"kiosk", "true"},
            {"source", "rtsp://cam/a,b"},
            {"resolution", "640x480"},
            {"fps", "12.5"},
            {"quality", "55"},
            {"rotate", "90"},
            {"flip", "horizontal"},
            {"crop", "320x240+16+16"},
            {"host", "127.0.0.1"},
            {"port", "0"},
            {"max-clients", "5"},
            {"net-threads", "2"},
            {"request-timeout", "7"},
            {"encoder", "cpu"},
            {"source-timeout", "0.5"},
            {"overlay", "%H:%M, camera 1"},
            {"drop-same-frames", "3"},
            {"privacy", "on"},
            {"profiles", "full,800,400"},
            {"max-profiles", "3"},
            {"control", "brightness=10"},
            {"trusted-proxy", "10.0.0.1"},
            {"zero-copy", "off"},
            {"max-clients-per-address", "0"},
            {"client-buffer", "65536"},
            {"send-timeout", "9"},
            {"user", "bob"},
            {"password", "pw with space"},
            {"password-file", "PWFILE"},
            {"token", "12345678"},
            {"allow-origin", "*"},
            {"allow", "10.0.0.0/8"},
            {"allow-control", "127.0.0.1/32"},
            {"tls-cert", "/tmp/c.pem"},
            {"tls-key", "/tmp/k.pem"},
            {"tls-port", "9443"},
            {"admin-pin",
             "pbkdf2-sha256$100000$KImHftMEAzRfsMDDnJX3WA$"
             "oK1ejyAyCYqV2eBcXzhbbT7wD4300aEWPCzS7vt8YJw"},
            {"admin-pin-file", "PINFILE"},
            {"lock-after", "5"},
            {"lock-snapshot", "off"},
            {"screen-dim-after", "3"},
            {"screen-off-after", "10"},
            {"screen-schedule", "22:30-06:45"},
            {"backlight", "/tmp/no-backlight"},
            {"screen-rotation", "90"},
        };
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void sameResultFromFileAndCommandLine_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        const auto values = samples();
        QFile pw(m_dir.filePath(QStringLiteral("pw")));
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write("from-a-file\n");
        QFile pin(m_dir.filePath(QStringLiteral("pin")));
        QVERIFY(pin.open(QIODevice::WriteOnly));
        pin.write(values.value(QStringLiteral("admin-pin")).toUtf8() + '\n');
        for (const OptionSpec &row : OptionTable::rows()) {
            if (row.kind != OptionSpec::Kind::Setting)
                continue;
            // A new setting needs a sample here, so that this test covers it.
            QVERIFY2(values.contains(row.name), qPrintable("no sample for " + row.name));
            QString value = values[row.name];
            value.replace(QLatin1String("PWFILE"), pw.fileName());
            value.replace(QLatin1String("PINFILE"), pin.fileName());
            QTest::newRow(qPrintable(row.name)) << row.name << value;
        }
    }
    void sameResultFromFileAndCommandLine()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        const OptionSpec *row = OptionTable::find(name);
        QStringList commandLine{QStringLiteral("--") + name};
        if (!row->isFlag())
            commandLine.append(value);
        // The pair options need their partner to be valid at all: given the same way.
        QString partner;
        if (name == QLatin1String("tls-cert") || name == QLatin1String("tls-key")) {
            partner = name == QLatin1String("tls-cert") ? QStringLiteral("tls-key")
                                                        : QStringLiteral("tls-cert");
            commandLine += {QStringLiteral("--") + partner, QStringLiteral("/tmp/other.pem")};
        }
        Options fromCommandLine;
        QString message;
        QCOMPARE(parse(commandLine + QStringList{QStringLiteral("--config"), QString()},
                       &fromCommandLine, &message),
                 Options::Outcome::Run);
        QVERIFY2(message.isEmpty(), qPrintable(message));

        // In the file, quoted (a value with ',' is a list otherwise).
        QString text = QStringLiteral("%1 = \"%2\"\n").arg(name, value);
        if (!partner.isEmpty())
            text += partner + QStringLiteral(" = /tmp/other.pem\n");
        const QString file = write(text.toUtf8());
        Options fromFile;
        QCOMPARE(parse({QStringLiteral("--config"), file}, &fromFile, &message),
                 Options::Outcome::Run);
        QVERIFY2(message.isEmpty(), qPrintable(message));
        QCOMPARE(everything(fromFile), everything(fromCommandLine));
        QVERIFY(everything(fromFile) != everything(Options()));
    }

    void wrongValueSaysWhatTheCommandLineSays_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::newRow("port") << "port"
                              << "eighty";
        QTest::newRow("fps") << "fps"
                             << "0";
        QTest::newRow("resolution") << "resolution"
                                    << "1281x720";
        QTest::newRow("password") << "password"
                                  << "p\u00e4ss";
        QTest::newRow("source") << "source"
                                << " ";
        QTest::newRow("allow") << "allow"
                               << "10.0.0.0/33";
        QTest::newRow("zero-copy") << "zero-copy"
                                   << "maybe";
        QTest::newRow("token") << "token"
                               << "short";
        QTest::newRow("rotate") << "rotate"
                                << "45";
        QTest::newRow("flip") << "flip"
                              << "sideways";
        QTest::newRow("crop-zero") << "crop"
                                   << "0x0+0+0";
        // A clear PIN is refused with the command that hashes it.
        QTest::newRow("admin-pin clear") << "admin-pin"
                                         << "1234";
        QTest::newRow("admin-pin garbage") << "admin-pin"
                                           << "pbkdf2-sha256$10$x$y";
        QTest::newRow("screen-schedule") << "screen-schedule"
                                         << "25:00-7";
        QTest::newRow("screen-off-after") << "screen-off-after"
                                          << "-1";
        QTest::newRow("screen-dim-after") << "screen-dim-after"
                                          << "100000";
        QTest::newRow("lock-after") << "lock-after"
                                    << "0";
        QTest::newRow("lock-snapshot") << "lock-snapshot"
                                       << "sometimes";
        QTest::newRow("screen-rotation") << "screen-rotation"
                                         << "45";
    }
    void wrongValueSaysWhatTheCommandLineSays()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        Options options;
        QString commandLine;
        QCOMPARE(parse({QStringLiteral("--") + name, value, QStringLiteral("--config"), QString()},
                       &options, &commandLine),
                 Options::Outcome::ExitError);
        const QString prefix = QCoreApplication::applicationName() + QStringLiteral(": ");
        QVERIFY(commandLine.startsWith(prefix));
        QVERIFY2(commandLine.contains(name), qPrintable(commandLine));

        const QString file = write(QStringLiteral("%1 = \"%2\"\n").arg(name, value).toUtf8());
        QString fromFile;
        QCOMPARE(parse({QStringLiteral("--config"), file}, &options, &fromFile),
                 Options::Outcome::ExitError);
        QCOMPARE(fromFile,
                 QStringLiteral("%1%2: key '%3': %4")
                     .arg(prefix, file, name, commandLine.mid(prefix.size())));
    }

    void wrongKeysAreRefused_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("misspelt") << QByteArray("qualty = 50\n") << "key 'qualty': no such option";
        QTest::newRow("section") << QByteArray("[server]\nport = 1\n")
                                 << "key 'server/port': no such option";
        QTest::newRow("action") << QByteArray("help = true\n") << "key 'help': no such option";
        QTest::newRow("config") << QByteArray("config = /x\n") << "key 'config': no such option";
        QTest::newRow("short") << QByteArray("h = true\n") << "key 'h': no such option";
        QTest::newRow("flag") << QByteArray("kiosk = maybe\n")
                              << "key 'kiosk': 'maybe' is not true or false";
        QTest::newRow("list item") << QByteArray("allow = 10.0.0.0/8, nowhere\n")
                                   << "key 'allow': allow must be an address or network like "
                                      "192.168.0.0/16, not 'nowhere'";
    }
    void wrongKeysAreRefused()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        const QString file = write(text);
        Options options;
        QString message;
        QCOMPARE(parse({QStringLiteral("--config"), file}, &options, &message),
                 Options::Outcome::ExitError);
        QVERIFY2(message.contains(file + QStringLiteral(": ") + says), qPrintable(message));
    }

    void commandLineWinsAndCommentsAreSkipped()
    {
        const QString file = write("# quality = 5\n#note=1\n; old = 2\nquality = 55\nfps = 10\n"
                                   "headless = false\nkiosk = yes\n");
        Options options;
        QString message;
        QCOMPARE(parse({QStringLiteral("--quality"), QStringLiteral("70"),
                        QStringLiteral("--config"), file},
                       &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.quality, 70);
        QCOMPARE(options.pipeline.fps, 10.0);
        QVERIFY(!options.headless);
        QVERIFY(options.kiosk);
        // A command-line error stays the command line's, file or not.
        QCOMPARE(
            parse({QStringLiteral("--fps"), QStringLiteral("0"), QStringLiteral("--config"), file},
                  &options, &message),
            Options::Outcome::ExitError);
        QVERIFY2(!message.contains(file), qPrintable(message));
    }

    // Rules that join options hold on the file and the command line together: a pair may be
    // completed by the file (each value checked with the command line alone was refused before).
    // A crop must lie within the rotated resolution, however the two are given.
    void cropOutsideThePicture()
    {
        Options options;
        QString message;
        QCOMPARE(parse({QStringLiteral("--crop"), QStringLiteral("640x480+1000+0"),
                        QStringLiteral("--config"), QString()},
                       &options, &message),
                 Options::Outcome::ExitError);
        QVERIFY2(message.contains(QLatin1String("crop 640x480+1000+0 is outside the 1280x720 "
                                                "picture")),
                 qPrintable(message));
        const QString file = write("rotate = 90\ncrop = 720x1280+0+0\n");
        QCOMPARE(parse({QStringLiteral("--config"), file}, &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.transform.crop, QRect(0, 0, 720, 1280));
        QCOMPARE(parse({QStringLiteral("--rotate"), QStringLiteral("0"), QStringLiteral("--config"),
                        file},
                       &options, &message),
                 Options::Outcome::ExitError);
        QVERIFY2(message.startsWith(QStringLiteral("%1: %2: crop 720x1280+0+0 is outside")
                                        .arg(QCoreApplication::applicationName(), file)),
                 qPrintable(message));
    }

    void jointRulesNameTheFile()
    {
        const QString pw = write("secret\n");
        const QString file = write("password = other\n");
        Options options;
        QString message;
        QCOMPARE(parse({QStringLiteral("--password-file"), pw, QStringLiteral("--config"), file},
                       &options, &message),
                 Options::Outcome::ExitError);
        QCOMPARE(message,
                 QStringLiteral("%1: %2: give --password or --password-file, not both")
                     .arg(QCoreApplication::applicationName(), file));
        QCOMPARE(parse({QStringLiteral("--config"),
                        write("tls-cert = /tmp/c.pem\ntls-key = /tmp/k.pem\n")},
                       &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.server.tlsKeyFile, QStringLiteral("/tmp/k.pem"));
        // A pair split between the command line and the file.
        QCOMPARE(parse({QStringLiteral("--tls-key"), QStringLiteral("/tmp/k.pem"),
                        QStringLiteral("--config"), write("tls-cert = /tmp/c.pem\n")},
                       &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.server.tlsCertificateFile, QStringLiteral("/tmp/c.pem"));
        QCOMPARE(options.pipeline.server.tlsKeyFile, QStringLiteral("/tmp/k.pem"));
        // The command line breaking a joint rule by itself is told so, without the file.
        QCOMPARE(parse({QStringLiteral("--password"), QStringLiteral("a"),
                        QStringLiteral("--password-file"), pw, QStringLiteral("--config"), file},
                       &options, &message),
                 Options::Outcome::ExitError);
        QCOMPARE(message,
                 QStringLiteral("%1: give --password or --password-file, not both")
                     .arg(QCoreApplication::applicationName()));
        const QString half = write("tls-cert = /tmp/c.pem\n");
        QCOMPARE(parse({QStringLiteral("--config"), half}, &options, &message),
                 Options::Outcome::ExitError);
        QVERIFY2(
            message.endsWith(half + QStringLiteral(": HTTPS needs both --tls-cert and --tls-key")),
            qPrintable(message));
    }

    void repeatableOptionTakesAList()
    {
        for (const QByteArray &text : {QByteArray("allow = 10.0.0.0/8, 192.168.0.0/16\n"),
                                       QByteArray("allow = \"10.0.0.0/8,192.168.0.0/16\"\n")}) {
            Options options;
            QString message;
            QCOMPARE(parse({QStringLiteral("--config"), write(text)}, &options, &message),
                     Options::Outcome::Run);
            QCOMPARE(options.pipeline.server.allowedNetworks.size(), 2);
            QCOMPARE(options.pipeline.server.allowedNetworks[1].first,
                     QHostAddress(QStringLiteral("192.168.0.0")));
        }
    }

    // [camera NAME] sections (issue 19): cameras in the order written, each starting from the
    // file's and the command line's camera options, its section's values instead where it has
    // them (a repeatable one's list replaces the top level's).
    void cameraSections()
    {
        const QString file = write("quality = 60\nfps = 10\ncontrol = sharpness=1\n"
                                   "[camera yard]\nsource = test\nresolution = 640x480\n"
                                   "control = brightness=3, contrast=4\n"
                                   "[camera door]\nsource = /dev/video0\nquality = 90\n"
                                   "privacy = on\n");
        Options options;
        QString message;
        QCOMPARE(parse({QStringLiteral("--rotate"), QStringLiteral("180"),
                        QStringLiteral("--config"), file},
                       &options, &message),
                 Options::Outcome::Run);
        QVERIFY2(message.isEmpty(), qPrintable(message));
        const QList<CameraConfig> cameras = options.pipeline.cameraList();
        QCOMPARE(cameras.size(), 2);
        const CameraConfig &yard = cameras[0];
        QCOMPARE(yard.name, QStringLiteral("yard"));
        QCOMPARE(yard.source, QStringLiteral("test"));
        QCOMPARE(yard.resolution, QSize(640, 480));
        QCOMPARE(yard.quality, 60);
        QVERIFY(yard.qualityForced);
        QCOMPARE(yard.fps, 10.0);
        QCOMPARE(yard.transform.rotate, 180);
        QCOMPARE(yard.controls, QStringList({"brightness=3", "contrast=4"}));
        QVERIFY(!yard.privacy);
        const CameraConfig &door = cameras[1];
        QCOMPARE(door.name, QStringLiteral("door"));
        QCOMPARE(door.source, QStringLiteral("/dev/video0"));
        QCOMPARE(door.resolution, QSize(1280, 720));
        QCOMPARE(door.quality, 90);
        QCOMPARE(door.fps, 10.0);
        QCOMPARE(door.transform.rotate, 180);
        QCOMPARE(door.controls, QStringList{"sharpness=1"});
        QVERIFY(door.privacy);

        // The command line's cameras replace the file's; a section still sets its camera's
        // values, and its source yields to the command line's.
        QCOMPARE(parse({QStringLiteral("--camera"), QStringLiteral("gate=test"),
                        QStringLiteral("--camera"), QStringLiteral("door=rtsp://cam/x"),
                        QStringLiteral("--config"), file},
                       &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.cameras.size(), 2);
        QCOMPARE(options.pipeline.cameras[0].name, QStringLiteral("gate"));
        QCOMPARE(options.pipeline.cameras[0].quality, 60);
        QCOMPARE(options.pipeline.cameras[1].source, QStringLiteral("rtsp://cam/x"));
        QCOMPARE(options.pipeline.cameras[1].quality, 90);
        QVERIFY(options.pipeline.cameras[1].privacy);
        // The file's source key yields to the command line's cameras too.
        QCOMPARE(parse({QStringLiteral("--camera"), QStringLiteral("gate=test"),
                        QStringLiteral("--config"), write("source = /dev/video0\nquality = 50\n")},
                       &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.cameraList().size(), 1);
        QCOMPARE(options.pipeline.cameraList()[0].source, QStringLiteral("test"));
        QCOMPARE(options.pipeline.cameraList()[0].quality, 50);
        // --source alone: one camera, "main"; the file's sections with a source are not cameras.
        QCOMPARE(parse({QStringLiteral("--source"), QStringLiteral("test"),
                        QStringLiteral("--config"), file},
                       &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.cameraList().size(), 1);
        QCOMPARE(options.pipeline.cameraList()[0].name, QStringLiteral("main"));
        QCOMPARE(options.pipeline.cameraList()[0].source, QStringLiteral("test"));
    }

    // A section without source sets the values of a camera named elsewhere: --source's "main",
    // a --camera, or another section's camera being none (it must have its own source then).
    void sectionWithoutSource()
    {
        const QString file = write("source = test\n[camera main]\nquality = 33\nflip = vertical\n");
        Options options;
        QString message;
        QCOMPARE(parse({QStringLiteral("--config"), file}, &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.cameraList().size(), 1);
        const CameraConfig main = options.pipeline.cameraList()[0];
        QCOMPARE(main.name, QStringLiteral("main"));
        QCOMPARE(main.source, QStringLiteral("test"));
        QCOMPARE(main.quality, 33);
        QVERIFY(main.qualityForced);
        QCOMPARE(main.transform.flip, FrameTransform::Flip::Vertical);

        const QString door = write("[camera door]\nquality = 20\n");
        QCOMPARE(parse({QStringLiteral("--camera"), QStringLiteral("door=test"),
                        QStringLiteral("--config"), door},
                       &options, &message),
                 Options::Outcome::Run);
        QCOMPARE(options.pipeline.cameras.value(0).quality, 20);
        QCOMPARE(parse({QStringLiteral("--camera"), QStringLiteral("gate=test"),
                        QStringLiteral("--config"), door},
                       &options, &message),
                 Options::Outcome::ExitError);
        QCOMPARE(message,
                 QStringLiteral("%1: %2: [camera door]: no source, and no camera is named door "
                                "(the cameras: gate)")
                     .arg(QCoreApplication::applicationName(), door));
    }

    // The order camera options come in on the command line does not matter.
    void cameraOptionsInAnyOrder()
    {
        Options before;
        Options after;
        QString message;
        QCOMPARE(parse({"--quality", "50", "--overlay", "%H", "--camera", "a=test", "--camera",
                        "b=test", "--config", ""},
                       &before, &message),
                 Options::Outcome::Run);
        QCOMPARE(parse({"--camera", "a=test", "--camera", "b=test", "--quality", "50", "--overlay",
                        "%H", "--config", ""},
                       &after, &message),
                 Options::Outcome::Run);
        for (const Options *o : {&before, &after}) {
            QCOMPARE(o->pipeline.cameras.size(), 2);
            for (const CameraConfig &camera : o->pipeline.cameras) {
                QCOMPARE(camera.quality, 50);
                QVERIFY(camera.qualityForced);
                QCOMPARE(camera.overlay, QStringLiteral("%H"));
            }
        }
        QCOMPARE(everything(before), everything(after));
    }

    void badCameraSections_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("server key") << QByteArray("[camera door]\nsource = test\nport = 9\n")
                                    << "[camera door]: key 'port': not a camera's own setting";
        QTest::newRow("unknown key") << QByteArray("[camera door]\nsource = test\nqualty = 9\n")
                                     << "[camera door]: key 'qualty': no such option";
        QTest::newRow("nested key") << QByteArray("[camera door]\nsource = test\nx/fps = 9\n")
                                    << "[camera door]: key 'x/...': no such option";
        QTest::newRow("bad value")
            << QByteArray("[camera door]\nsource = test\nquality = 101\n")
            << "[camera door]: key 'quality': quality must be a whole number from 1 to 100, "
               "not '101'";
        QTest::newRow("empty source") << QByteArray("[camera door]\nsource =\n")
                                      << "[camera door]: key 'source': source must not be empty";
        QTest::newRow("bad name") << QByteArray("[camera Door]\nsource = test\n")
                                  << "[camera Door]: camera name 'Door' must be 1 to 32 of a-z, "
                                     "0-9 and '-'";
        QTest::newRow("no source") << QByteArray("[camera door]\nquality = 5\n")
                                   << "[camera door]: no source, and no camera is named door "
                                      "(the cameras: main)";
        QTest::newRow("no source beside others")
            << QByteArray("[camera yard]\nsource = test\n[camera door]\nquality = 5\n")
            << "[camera door]: no source, and no camera is named door (the cameras: yard)";
        QTest::newRow("source and sections")
            << QByteArray("source = test\n[camera door]\nsource = test\n")
            << "give source or [camera NAME] sections with a source, not both";
        QTest::newRow("same device")
            << QByteArray("[camera door]\nsource = /dev/video0\n[camera yard]\nsource = 0\n")
            << "cameras 'door' and 'yard' both use 0: a device, file or URL serves one camera";
        QTest::newRow("same url")
            << QByteArray("[camera a]\nsource = rtsp://x/1\n"
                          "[camera b]\nsource = rtsp://x/1\n")
            << "cameras 'a' and 'b' both use rtsp://x/1: a device, file or URL serves one camera";
        QByteArray many;
        for (int i = 1; i <= 17; ++i)
            many += QStringLiteral("[camera c%1]\nsource = test\n").arg(i).toUtf8();
        QTest::newRow("17 cameras") << many << "at most 16 cameras, not 17";
        QTest::newRow("camera key") << QByteArray("camera = door=test\n")
                                    << "key 'camera': a camera is a [camera NAME] section";
        QTest::newRow("crop outside")
            << QByteArray("[camera door]\nsource = test\nresolution = 640x480\n"
                          "crop = 800x600+0+0\n")
            << "camera door: crop 800x600+0+0 is outside the 640x480 picture";
    }
    void badCameraSections()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        const QString file = write(text);
        Options options;
        QString message;
        QCOMPARE(parse({QStringLiteral("--config"), file}, &options, &message),
                 Options::Outcome::ExitError);
        const QString prefix = QCoreApplication::applicationName() + QStringLiteral(": ") + file
            + QStringLiteral(": ");
        QVERIFY2(message.startsWith(prefix) && message.contains(says), qPrintable(message));
    }

    void missingFile()
    {
        QCommandLineParser parser;
        QVERIFY(parser.parse({QStringLiteral("app")}));
        const QString missing = m_dir.filePath(QStringLiteral("missing.conf"));
        QString error;
        const auto merged
            = ConfigFile::merge(parser, {QStringLiteral("app")}, missing, false, &error);
        QVERIFY(merged);
        QCOMPARE(*merged, QStringList{QStringLiteral("app")});
        QVERIFY(!ConfigFile::merge(parser, {QStringLiteral("app")}, missing, true, &error));
        QCOMPARE(error, missing + QStringLiteral(": no such file"));
        QVERIFY(!ConfigFile::merge(parser, {QStringLiteral("app")}, m_dir.path(), true, &error));
        QCOMPARE(error, m_dir.path() + QStringLiteral(": cannot read it"));
        QCOMPARE(ConfigFile::defaultPath(), QStringLiteral("/etc/mjpeg-kiosk.conf"));
    }
};

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_configfile.moc"
