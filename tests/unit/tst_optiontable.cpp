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
