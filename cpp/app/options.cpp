#include "options.h"

#include "capture/sourcefactory.h"
#include "configfile.h"
#include "core/pinhash.h"
#include "pipeline/optiontable.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <optional>
#include <termios.h>
#include <unistd.h>

// Every option is a row of pipeline/optiontable.h; here is only what the program does with the
// command line as a whole: help, version, the config file, and the flags it reads itself.
namespace {
const QString kConfig = QStringLiteral("config");

// `text` broken into lines of at most `width` characters at spaces.
QString wrapped(const QString &text, int width)
{
    QString out;
    qsizetype lineStart = 0;
    for (const QString &word : text.split(u' ')) {
        if (out.size() > lineStart && out.size() - lineStart + 1 + word.size() > width) {
            out += u'\n';
            lineStart = out.size();
        } else if (out.size() > lineStart) {
            out += u' ';
        }
        out += word;
    }
    return out + u'\n';
}

// How cameras are given, with the options each camera may have its own value of (the table's
// perCamera rows).
QString camerasHelp()
{
    QStringList own;
    for (const OptionSpec &row : OptionTable::rows()) {
        if (row.perCamera && row.name != QLatin1String("source"))
            own.append(QStringLiteral("--") + row.name);
    }
    return wrapped(
        QStringLiteral("Cameras: --source SPEC is one camera, named 'main'; --camera NAME=SPEC "
                       "(repeatable, at most %1) names several, the first serving /stream, each "
                       "also /camera/NAME/stream. The camera options (%2) apply to every camera; "
                       "a config file's [camera NAME] section (source=SPEC and any camera option) "
                       "sets one camera's own. --source or --camera on the command line replaces "
                       "the file's cameras (its source and its sections' sources); a section "
                       "still sets the options of the camera of its name.")
            .arg(CameraConfig::kMaxCameras)
            .arg(own.join(QLatin1String(", "))),
        79);
}

QString helpText(const QCommandLineParser &parser)
{
    return parser.helpText()
        + QStringLiteral(
               "\nSources: 'test' (built-in pattern), a camera index (0), a V4L2 device "
               "(/dev/video0),\nqt: or qt:<id> (Qt Multimedia camera), opencv:<spec> (OpenCV "
               "capture), a video file\n(played in a loop) or a URL (rtsp://..., http://...). "
               "--list-sources shows the cameras.\n\n")
        + camerasHelp()
        + QStringLiteral("\nHTTP: GET / (viewer page), /stream[?fps=N] (MJPEG), /snapshot "
                         "(JPEG), /status (JSON), /metrics (Prometheus).\n");
}

QString withAppName(const QString &error)
{
    return QStringLiteral("%1: %2").arg(QCoreApplication::applicationName(), error);
}

// One line from standard input; typed at a terminal, asked for on stderr and not echoed.
QString readSecretLine(const char *prompt)
{
    termios saved{};
    const bool terminal = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        QTextStream(stderr) << prompt << Qt::flush;
    }
    const QString line = QTextStream(stdin).readLine();
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        QTextStream(stderr) << '\n';
    }
    return line;
}

// --hash-pin: the PIN from standard input (never the command line, which `ps` shows), its hash
// on standard output.
Options::Outcome hashPin(QString *message)
{
    const QString pin = readSecretLine("PIN: ").trimmed();
    if (const QString error = PinHash::checkPin(pin); !error.isEmpty()) {
        *message = withAppName(QStringLiteral("hash-pin: ") + error);
        return Options::Outcome::ExitError;
    }
    *message = PinHash::hash(pin);
    return Options::Outcome::ExitOk;
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
    if (parser.isSet(QStringLiteral("hash-pin")))
        return hashPin(message);
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
Options::Outcome fromParser(const QCommandLineParser &parser, OptionTable::JointRules joint,
                            const OptionTable::CameraSections &sections, Options *options,
                            QString *message)
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
    if (const QString error = OptionTable::applyAll(valuesOf, &o.pipeline, joint, sections);
        !error.isEmpty()) {
        *message = withAppName(error);
        return Options::Outcome::ExitError;
    }
    *options = o;
    return Options::Outcome::Run;
}

Options::Outcome parseArguments(const QStringList &arguments, OptionTable::JointRules joint,
                                Options *options, QString *message,
                                const OptionTable::CameraSections &sections = {});

// Options the command line leaves out may come from the config file. The command line's own
// values are checked alone first, so that their errors stay the command line's; the file's are
// checked one by one as they are merged (naming the key); then the rules that join options
// hold on both together, naming the file unless the command line alone breaks them.
// "--config ''" keeps the file from being read again.
Options::Outcome withConfigFile(const QCommandLineParser &parser, const QStringList &arguments,
                                const QString &configPath, Options *options, QString *message)
{
    using Joint = OptionTable::JointRules;
    const QStringList noConfig{QStringLiteral("--") + kConfig, QString()};
    Options ignored;
    if (parseArguments(arguments + noConfig, Joint::Skip, &ignored, message)
        != Options::Outcome::Run)
        return Options::Outcome::ExitError;
    QString error;
    OptionTable::CameraSections sections;
    const auto merged = ConfigFile::merge(parser, arguments, configPath, parser.isSet(kConfig),
                                          &error, &sections);
    if (!merged) {
        *message = withAppName(error);
        return Options::Outcome::ExitError;
    }
    QString jointError;
    if (parseArguments(*merged + noConfig, Joint::Check, options, &jointError, sections)
        == Options::Outcome::Run)
        return Options::Outcome::Run;
    if (parseArguments(arguments + noConfig, Joint::Check, &ignored, message)
        != Options::Outcome::Run)
        return Options::Outcome::ExitError; // the command line's own mistake
    *message
        = withAppName(configPath + QStringLiteral(": ") + jointError.mid(withAppName({}).size()));
    return Options::Outcome::ExitError;
}

Options::Outcome parseArguments(const QStringList &arguments, OptionTable::JointRules joint,
                                Options *options, QString *message,
                                const OptionTable::CameraSections &sections)
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
        return fromParser(parser, joint, sections, options, message);
    return withConfigFile(parser, arguments, configPath, options, message);
}
} // namespace

Options::Outcome Options::parse(const QStringList &arguments, Options *options, QString *message)
{
    return parseArguments(arguments, OptionTable::JointRules::Check, options, message);
}
