#include "options.h"

#include "capture/sourcefactory.h"
#include "configfile.h"
#include "pipeline/optiontable.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <optional>

// Every option is a row of pipeline/optiontable.h; here is only what the program does with the
// command line as a whole: help, version, the config file, and the flags it reads itself.
namespace {
const QString kConfig = QStringLiteral("config");

QString helpText(const QCommandLineParser &parser)
{
    return parser.helpText()
        + QStringLiteral(
               "\nSources: 'test' (built-in pattern), a camera index (0), a V4L2 device "
               "(/dev/video0),\nqt: or qt:<id> (Qt Multimedia camera), opencv:<spec> (OpenCV "
               "capture), a video file\n(played in a loop) or a URL (rtsp://..., http://...). "
               "--list-sources shows the cameras.\n\nHTTP: GET / (viewer page), /stream[?fps=N] "
               "(MJPEG), /snapshot (JPEG), /status (JSON), /metrics (Prometheus).\n");
}

QString withAppName(const QString &error)
{
    return QStringLiteral("%1: %2").arg(QCoreApplication::applicationName(), error);
}

// Parses `arguments`; answers what ends the program before any option takes effect: a wrong
// option, help, version, the camera list, a stray argument.
std::optional<Options::Outcome> earlyExit(QCommandLineParser &parser, const QStringList &arguments,
                                          QString *message)
{
    const QString tryHelp
        = QStringLiteral("\nTry '%1 --help'.").arg(QCoreApplication::applicationName());
    if (!parser.parse(arguments)) {
        *message = parser.errorText() + tryHelp;
        return Options::Outcome::ExitError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        *message = helpText(parser);
        return Options::Outcome::ExitOk;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        *message = QCoreApplication::applicationName() + QLatin1Char(' ')
            + QCoreApplication::applicationVersion();
        return Options::Outcome::ExitOk;
    }
    if (parser.isSet(QStringLiteral("list-sources"))) {
        *message = describeSources();
        return Options::Outcome::ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message = QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments()[0])
            + tryHelp;
        return Options::Outcome::ExitError;
    }
    return std::nullopt;
}

// The options as the table sets them, plus what the program reads itself.
Options::Outcome fromParser(const QCommandLineParser &parser, Options *options, QString *message)
{
    Options o;
    o.headless = parser.isSet(QStringLiteral("headless"));
    o.kiosk = parser.isSet(QStringLiteral("kiosk"));
    o.given = parser.optionNames();
    const auto valuesOf = [&parser](const OptionSpec &row) {
        if (!row.isFlag())
            return parser.values(row.name);
        return parser.isSet(row.name) ? QStringList{QStringLiteral("true")} : QStringList{};
    };
    if (const QString error = OptionTable::applyAll(valuesOf, &o.pipeline); !error.isEmpty()) {
        *message = withAppName(error);
        return Options::Outcome::ExitError;
    }
    // A quality given (even the default one) asks auto mode to re-encode camera JPEGs.
    o.pipeline.qualityForced = parser.isSet(QStringLiteral("quality"));
    if (o.headless)
        o.pipeline.previewFps = 0; // nobody looks at a preview when headless
    *options = o;
    return Options::Outcome::Run;
}

// Options the command line leaves out may come from the config file. The command line is
// checked alone first, so that its errors stay its own; the file's values are checked one by one
// as they are merged (naming the key), then together with the command line's (naming the file).
// "--config ''" keeps the file from being read again.
Options::Outcome withConfigFile(const QCommandLineParser &parser, const QStringList &arguments,
                                const QString &configPath, Options *options, QString *message)
{
    const QStringList noConfig{QStringLiteral("--") + kConfig, QString()};
    Options commandLineOnly;
    if (Options::parse(arguments + noConfig, &commandLineOnly, message) != Options::Outcome::Run)
        return Options::Outcome::ExitError;
    QString error;
    const auto merged
        = ConfigFile::merge(parser, arguments, configPath, parser.isSet(kConfig), &error);
    if (!merged) {
        *message = withAppName(error);
        return Options::Outcome::ExitError;
    }
    const Options::Outcome outcome = Options::parse(*merged + noConfig, options, message);
    const QString prefix = withAppName({});
    if (outcome == Options::Outcome::ExitError && message->startsWith(prefix))
        *message = withAppName(configPath + QStringLiteral(": ") + message->mid(prefix.size()));
    return outcome;
}
} // namespace

Options::Outcome Options::parse(const QStringList &arguments, Options *options, QString *message)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("MJPEG Kiosk: shows a camera full screen and serves it as an HTTP MJPEG "
                       "stream."));
    for (const OptionSpec &row : OptionTable::rows())
        parser.addOption(row.commandLineOption());
    if (const auto exit = earlyExit(parser, arguments, message))
        return *exit;
    const QString configPath
        = parser.isSet(kConfig) ? parser.value(kConfig) : ConfigFile::defaultPath();
    if (configPath.isEmpty())
        return fromParser(parser, options, message);
    return withConfigFile(parser, arguments, configPath, options, message);
}
