#include "pipeline/optiontable.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

// The option table itself: every row complete, names unique, defaults that come back through
// their own check, ranges enforced at their ends, refusals that name the option, and the shipped
// config file and README showing each default as the table has it.
class TestOptionTable : public QObject
{
    Q_OBJECT

private slots:
    void everyRowIsComplete()
    {
        QSet<QString> names;
        for (const OptionSpec &row : OptionTable::rows()) {
            const QByteArray what = row.name.toUtf8();
            QVERIFY2(
                QRegularExpression(QStringLiteral("^[a-z][a-z0-9-]+$")).match(row.name).hasMatch(),
                what);
            QVERIFY2(!names.contains(row.name), "duplicate name " + what);
            names.insert(row.name);
            if (!row.shortName.isEmpty()) {
                QVERIFY2(!names.contains(row.shortName), "duplicate short name " + what);
                names.insert(row.shortName);
            }
            const QString help = row.helpText();
            QVERIFY2(help.size() > 10 && help.endsWith(u'.'), what);
            QVERIFY2(!help.contains(u'{') && !row.commandLineOption().valueName().contains(u'{'),
                     "a placeholder left in " + what);
            QVERIFY2(row.kind == OptionSpec::Kind::Action || row.apply || row.isFlag(),
                     "a valued setting that nothing sets: " + what);
            QVERIFY2(!row.apply || row.read, "apply without read: " + what);
            QVERIFY2(row.excludes.isEmpty() || OptionTable::find(row.excludes),
                     "excludes an unknown option: " + what);
            QCOMPARE(OptionTable::find(row.name), &row);
        }
        QCOMPARE(OptionTable::find(QStringLiteral("no-such-option")), nullptr);
    }

    // --help says each default; the default it says is the struct's and passes its own check.
    void defaultsRoundTrip()
    {
        for (const OptionSpec &row : OptionTable::rows()) {
            const QByteArray what = row.name.toUtf8();
            const QString shown = row.defaultText();
            if (!shown.isEmpty() && !row.isFlag())
                QVERIFY2(row.help.contains(QLatin1String("{default}")),
                         "--help does not say the default of " + what);
            if (!row.apply)
                continue;
            PipelineConfig config;
            QCOMPARE(row.apply(shown, &config), QString());
            QCOMPARE(row.read(config), shown);
            // And nothing else moved: a default given is the same as no option.
            for (const OptionSpec &other : OptionTable::rows()) {
                if (other.read)
                    QCOMPARE(other.read(config), other.read(PipelineConfig()));
            }
        }
    }

    void rangesHoldAtTheirEnds()
    {
        int ranged = 0;
        for (const OptionSpec &row : OptionTable::rows()) {
            if (!row.minimum || !row.maximum)
                continue;
            ++ranged;
            const QByteArray what = row.name.toUtf8();
            for (const double ok : {*row.minimum, *row.maximum}) {
                PipelineConfig config;
                QVERIFY2(row.apply(QString::number(ok, 'g', 12), &config).isEmpty(), what);
                QCOMPARE(row.read(config).toDouble(), ok);
            }
            const double step = *row.maximum - *row.minimum < 10 ? 0.01 : 1;
            for (const double bad : {*row.minimum - step, *row.maximum + step}) {
                PipelineConfig config;
                const QString error = row.apply(QString::number(bad, 'g', 12), &config);
                QVERIFY2(error.startsWith(row.name)
                             && error.contains(QString::number(bad, 'g', 12)),
                         qPrintable(error));
                QVERIFY2(error.contains(QString::number(*row.minimum, 'g', 12))
                             && error.contains(QString::number(*row.maximum, 'g', 12)),
                         "the message says the range: " + error.toUtf8());
            }
        }
        QVERIFY(ranged >= 10);
    }

    void refusalsNameTheOption()
    {
        for (const OptionSpec &row : OptionTable::rows()) {
            if (!row.apply)
                continue;
            for (const QString &bad : {QStringLiteral("\x01 bad:value"), QStringLiteral("")}) {
                PipelineConfig config;
                const QString error = row.apply(bad, &config);
                QVERIFY2(error.isEmpty() || error.contains(row.name), qPrintable(error));
            }
        }
    }

    // One rule for the password wherever it comes from (the settings panel had it alone).
    void passwordIsPrintableAscii()
    {
        const OptionSpec *password = OptionTable::find(QStringLiteral("password"));
        const OptionSpec *file = OptionTable::find(QStringLiteral("password-file"));
        QVERIFY(password && file);
        PipelineConfig config;
        QCOMPARE(password->apply(QStringLiteral("s3cret with space~"), &config), QString());
        QCOMPARE(config.server.password, QByteArray("s3cret with space~"));
        for (const QString &bad : {QStringLiteral("p\u00e4ss"), QStringLiteral("tab\there")}) {
            QCOMPARE(password->apply(bad, &config),
                     QStringLiteral("password may only hold printable ASCII characters"));
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto fileWith = [&dir](const QByteArray &content) {
            QFile f(dir.filePath(QStringLiteral("pw")));
            f.open(QIODevice::WriteOnly | QIODevice::Truncate);
            f.write(content);
            return f.fileName();
        };
        config = PipelineConfig();
        QCOMPARE(file->apply(fileWith("from-file\r\nsecond line\n"), &config), QString());
        QCOMPARE(config.server.password, QByteArray("from-file"));
        QVERIFY(file->apply(fileWith("p\xc3\xa4ss\n"), &config).contains(QLatin1String("ASCII")));
        QVERIFY(file->apply(fileWith("\n"), &config).contains(QLatin1String("empty first line")));
        QVERIFY(file->apply(dir.filePath(QStringLiteral("none")), &config)
                    .startsWith(QLatin1String("password-file: cannot read")));
        QCOMPARE(config.server.password, QByteArray("from-file"));
    }

    void excludedPairsAndJoinedRules()
    {
        const auto given = [](QMap<QString, QStringList> values) {
            return [values](const OptionSpec &row) { return values.value(row.name); };
        };
        PipelineConfig config;
        QCOMPARE(OptionTable::applyAll(
                     given({{QStringLiteral("password"), {QStringLiteral("a")}},
                            {QStringLiteral("password-file"), {QStringLiteral("/nonexistent")}}}),
                     &config),
                 QStringLiteral("give --password or --password-file, not both"));
        // An empty value is "not set" (a config file listing every key).
        QCOMPARE(OptionTable::applyAll(given({{QStringLiteral("password"), {QStringLiteral("a")}},
                                              {QStringLiteral("password-file"), {QString()}}}),
                                       &config),
                 QString());
        QCOMPARE(config.server.password, QByteArray("a"));
        config = PipelineConfig();
        QCOMPARE(OptionTable::applyAll(given({{QStringLiteral("tls-cert"), {QStringLiteral("c")}}}),
                                       &config),
                 QStringLiteral("HTTPS needs both --tls-cert and --tls-key"));
        // A repeatable option: each value in turn, empty ones skipped.
        config = PipelineConfig();
        QCOMPARE(OptionTable::applyAll(given({{QStringLiteral("allow"),
                                               {QStringLiteral("10.0.0.0/8"), QString(),
                                                QStringLiteral(" 192.168.1.7 ")}}}),
                                       &config),
                 QString());
        QCOMPARE(config.server.allowedNetworks.size(), 2);
        QCOMPARE(OptionTable::find(QStringLiteral("allow"))->read(config),
                 QStringLiteral("10.0.0.0/8,192.168.1.7/32"));
    }

    void settingsPanelRows()
    {
        QStringList panel;
        for (const OptionSpec &row : OptionTable::rows()) {
            if (row.inSettingsPanel)
                panel.append(row.name);
        }
        QCOMPARE(
            panel,
            QStringList({QStringLiteral("source"), QStringLiteral("resolution"),
                         QStringLiteral("fps"), QStringLiteral("quality"), QStringLiteral("rotate"),
                         QStringLiteral("flip"), QStringLiteral("crop"), QStringLiteral("port"),
                         QStringLiteral("profiles"), QStringLiteral("password"),
                         QStringLiteral("admin-pin"), QStringLiteral("lock-after"),
                         QStringLiteral("screen-dim-after"), QStringLiteral("screen-off-after"),
                         QStringLiteral("screen-schedule"), QStringLiteral("screen-rotation")}));
    }

    // Issue 19: the rows a camera has its own value of.
    void perCameraRows()
    {
        QStringList perCamera;
        for (const OptionSpec &row : OptionTable::rows()) {
            if (row.perCamera) {
                perCamera.append(row.name);
                QVERIFY2(row.kind == OptionSpec::Kind::Setting && row.apply && row.read,
                         qPrintable(row.name));
            }
        }
        QCOMPARE(perCamera,
                 QStringList({"source", "resolution", "fps", "quality", "rotate", "flip", "crop",
                              "encoder", "source-timeout", "overlay", "drop-same-frames", "privacy",
                              "control"}));
    }

    // A camera's row applied to one camera's config, as it applies to the top level: the value
    // read back is the one given, nothing else of the camera moved.
    void applyToOneCamera()
    {
        const QMap<QString, QString> samples{
            {"source", "/dev/video2"},
            {"resolution", "640x480"},
            {"fps", "12.5"},
            {"quality", "55"},
            {"rotate", "90"},
            {"flip", "vertical"},
            {"crop", "320x240+8+8"},
            {"encoder", "cpu"},
            {"source-timeout", "0.5"},
            {"overlay", "%H:%M"},
            {"drop-same-frames", "3"},
            {"privacy", "on"},
            {"control", "brightness=10"},
        };
        for (const OptionSpec &row : OptionTable::rows()) {
            if (!row.perCamera)
                continue;
            CameraConfig camera;
            camera.name = QStringLiteral("door");
            const QString value = samples.value(row.name);
            QVERIFY2(!value.isEmpty(), qPrintable("no sample for " + row.name));
            QCOMPARE(OptionTable::applyToCamera(row, value, &camera), QString());
            QCOMPARE(OptionTable::readCamera(row, camera), value);
            QCOMPARE(camera.name, QStringLiteral("door"));
            for (const OptionSpec &other : OptionTable::rows()) {
                if (other.perCamera && other.name != row.name)
                    QCOMPARE(OptionTable::readCamera(other, camera), other.read(PipelineConfig()));
            }
            // A refusal names the option and leaves the camera as it was.
            const CameraConfig before = camera;
            const QString error
                = OptionTable::applyToCamera(row, QStringLiteral("\x01 bad:value"), &camera);
            if (!error.isEmpty()) {
                QVERIFY2(error.contains(row.name), qPrintable(error));
                QCOMPARE(OptionTable::readCamera(row, camera), value);
            }
        }
    }

    void cameraRow()
    {
        const OptionSpec *row = OptionTable::find(QStringLiteral("camera"));
        QVERIFY(row);
        QCOMPARE(row->kind, OptionSpec::Kind::CommandLine);
        QVERIFY(row->repeatable);
        QVERIFY2(row->helpText().contains(QLatin1String("at most 16")),
                 qPrintable(row->helpText()));
        const auto given = [](QMap<QString, QStringList> values) {
            return [values](const OptionSpec &r) { return values.value(r.name); };
        };
        PipelineConfig config;
        QCOMPARE(
            OptionTable::applyAll(
                given({{"camera", {"door=/dev/video0", " yard = rtsp://x/a=b "}}, {"fps", {"15"}}}),
                &config),
            QString());
        QCOMPARE(config.cameras.size(), 2);
        QCOMPARE(config.cameras[0].name, QStringLiteral("door"));
        QCOMPARE(config.cameras[0].source, QStringLiteral("/dev/video0"));
        QCOMPARE(config.cameras[1].name, QStringLiteral("yard"));
        QCOMPARE(config.cameras[1].source, QStringLiteral("rtsp://x/a=b"));
        QCOMPARE(config.cameras[1].fps, 15.0);
        QVERIFY(!config.cameras[1].qualityForced);
        QCOMPARE(row->read(config), QStringLiteral("door=/dev/video0,yard=rtsp://x/a=b"));

        const QMap<QString, QStringList> bad{
            {"camera door=/dev/video0: camera name 'door' is given twice",
             {"door=/dev/video0", "door=/dev/video0"}},
            {"camera Door=test: camera name 'Door' must be 1 to 32 of a-z, 0-9 and '-'",
             {"Door=test"}},
            {"camera must be NAME=SPEC, e.g. door=/dev/video0, not 'door'", {"door"}},
            {"camera must be NAME=SPEC, e.g. door=/dev/video0, not 'door='", {"door="}},
            {"camera yard=0: cameras 'door' and 'yard' both use 0: a device, file or URL serves "
             "one camera",
             {"door=/dev/video0", "yard=0"}},
        };
        for (auto it = bad.cbegin(); it != bad.cend(); ++it) {
            config = PipelineConfig();
            QCOMPARE(OptionTable::applyAll(given({{"camera", it.value()}}), &config), it.key());
        }
        QStringList many;
        for (int i = 0; i <= CameraConfig::kMaxCameras; ++i)
            many.append(QStringLiteral("c%1=test").arg(i));
        config = PipelineConfig();
        QCOMPARE(OptionTable::applyAll(given({{"camera", many}}), &config),
                 QStringLiteral("camera c16=test: at most 16 cameras, not 17"));
        config = PipelineConfig();
        QCOMPARE(
            OptionTable::applyAll(given({{"camera", {"a=test"}}, {"source", {"test"}}}), &config),
            QStringLiteral("give --source or --camera, not both"));
    }

    // Each camera's own values replace the top level's (a list too); a section for "main" with
    // no --camera makes --source's camera the one listed; a section naming no camera is refused.
    void cameraSections()
    {
        const auto given = [](QMap<QString, QStringList> values) {
            return [values](const OptionSpec &r) { return values.value(r.name); };
        };
        PipelineConfig config;
        OptionTable::CameraSections sections{
            {"b", {{"control", {"contrast=1"}}, {"quality", {"40"}}, {"crop", {"64x64+0+0"}}}}};
        QCOMPARE(OptionTable::applyAll(given({{"camera", {"a=test", "b=test"}},
                                              {"control", {"brightness=2", "saturation=3"}},
                                              {"rotate", {"270"}}}),
                                       &config, OptionTable::JointRules::Check, sections),
                 QString());
        QCOMPARE(config.cameras[0].controls, QStringList({"brightness=2", "saturation=3"}));
        QCOMPARE(config.cameras[0].transform.rotate, 270);
        QVERIFY(!config.cameras[0].qualityForced);
        QCOMPARE(config.cameras[1].controls, QStringList{"contrast=1"});
        QCOMPARE(config.cameras[1].quality, 40);
        QVERIFY(config.cameras[1].qualityForced);
        QCOMPARE(config.cameras[1].transform.rotate, 270);
        QCOMPARE(config.cameras[1].transform.crop, QRect(0, 0, 64, 64));

        config = PipelineConfig();
        QCOMPARE(OptionTable::applyAll(given({{"source", {"/dev/video1"}}}), &config,
                                       OptionTable::JointRules::Check,
                                       {{"main", {{"privacy", {"on"}}}}}),
                 QString());
        QCOMPARE(config.cameras.size(), 1);
        QCOMPARE(config.cameras[0].name, QStringLiteral("main"));
        QCOMPARE(config.cameras[0].source, QStringLiteral("/dev/video1"));
        QVERIFY(config.cameras[0].privacy);
        QVERIFY(!config.privacy);

        config = PipelineConfig();
        QCOMPARE(OptionTable::applyAll(given({{"camera", {"a=test"}}}), &config,
                                       OptionTable::JointRules::Check,
                                       {{"b", {{"privacy", {"on"}}}}}),
                 QStringLiteral("camera section 'b' has no source and no camera is named so"));
        // The rules that join options hold for every camera.
        config = PipelineConfig();
        QVERIFY(OptionTable::applyAll(given({{"camera", {"a=test", "b=test"}}}), &config,
                                      OptionTable::JointRules::Check,
                                      {{"b", {{"crop", {"1920x1080+0+0"}}}}})
                    .startsWith(QLatin1String(
                        "camera b: crop 1920x1080+0+0 is outside the 1280x720 picture")));
    }

    // A camera from another with some values of its own: those replace the base's (a list
    // too), the rest are the base's; a quality of its own asks for a re-encode.
    void cameraWithOwnValues()
    {
        CameraConfig base;
        base.name = QStringLiteral("door");
        base.source = QStringLiteral("/dev/video0");
        base.fps = 12.5;
        base.controls = {QStringLiteral("brightness=2"), QStringLiteral("contrast=3")};
        base.transform.rotate = 90;
        CameraConfig camera;
        QCOMPARE(OptionTable::cameraWith(base, {}, &camera), QString());
        for (const OptionSpec &row : OptionTable::rows()) {
            if (row.perCamera)
                QCOMPARE(OptionTable::readCamera(row, camera), OptionTable::readCamera(row, base));
        }
        QCOMPARE(camera.name, QStringLiteral("door"));
        QVERIFY(!camera.qualityForced);
        QCOMPARE(OptionTable::cameraWith(
                     base,
                     {{"control", {"saturation=1"}}, {"quality", {"30"}}, {"privacy", {"on"}}},
                     &camera),
                 QString());
        QCOMPARE(camera.controls, QStringList{"saturation=1"});
        QCOMPARE(camera.quality, 30);
        QVERIFY(camera.qualityForced);
        QVERIFY(camera.privacy);
        QCOMPARE(camera.fps, 12.5);
        QCOMPARE(camera.transform.rotate, 90);
        QCOMPARE(camera.source, QStringLiteral("/dev/video0"));
        QCOMPARE(OptionTable::cameraWith(base, {{"fps", {"0"}}}, &camera),
                 QStringLiteral("fps must be a number from 1 to 120, not '0'"));
    }

    // deploy/mjpeg-kiosk.conf shows every setting as "# name = default": the table's default.
    void shippedConfigFileShowsTheDefaults()
    {
        QFile file(QStringLiteral(KIOSK_SOURCE_DIR "/deploy/mjpeg-kiosk.conf"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QString text = QString::fromUtf8(file.readAll());
        QMap<QString, QString> documented;
        static const QRegularExpression line(QStringLiteral("^# ([a-z0-9-]+) =[ ]?(.*)$"),
                                             QRegularExpression::MultilineOption);
        for (auto it = line.globalMatch(text); it.hasNext();) {
            const auto match = it.next();
            documented.insert(match.captured(1), match.captured(2));
        }
        for (const OptionSpec &row : OptionTable::rows()) {
            if (row.kind != OptionSpec::Kind::Setting)
                continue;
            QVERIFY2(documented.contains(row.name), qPrintable(row.name));
            const QString expected = row.isFlag() ? QStringLiteral("false") : row.defaultText();
            QCOMPARE(documented.take(row.name), expected);
        }
        QVERIFY2(documented.isEmpty(), qPrintable(documented.keys().join(u' ')));
    }

    // README's options table: a default written there as `value` is the table's.
    void readmeShowsTheDefaults()
    {
        QFile file(QStringLiteral(KIOSK_SOURCE_DIR "/README.md"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        static const QRegularExpression line(
            QStringLiteral("^\\| `--([a-z0-9-]+)[^`]*` \\| `([^`]*)` \\|"),
            QRegularExpression::MultilineOption);
        int compared = 0;
        for (auto it = line.globalMatch(QString::fromUtf8(file.readAll())); it.hasNext();) {
            const auto match = it.next();
            const OptionSpec *row = OptionTable::find(match.captured(1));
            QVERIFY2(row, qPrintable(match.captured(1)));
            QCOMPARE(match.captured(2), row->defaultText());
            ++compared;
        }
        QVERIFY(compared >= 15);
    }
};

QTEST_GUILESS_MAIN(TestOptionTable)
#include "tst_optiontable.moc"
