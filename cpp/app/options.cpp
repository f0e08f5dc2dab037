#include "options.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace {
QString helpText(QCommandLineParser &parser)
{
    return parser.helpText()
           + QStringLiteral(
               "\nSources: 'test' (built-in pattern), a camera index (0), a V4L2 device "
               "(/dev/video0),\na video file (played in a loop) or a URL (rtsp://..., "
               "http://...).\n\nHTTP: GET / (viewer page), /stream[?fps=N] (MJPEG), /snapshot "
               "(JPEG), /status (JSON).\n");
}
} // namespace

Options::Outcome Options::parse(const QStringList &arguments, Options *options, QString *message)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("MJPEG Kiosk: shows a camera full screen and serves it as an HTTP MJPEG "
                       "stream."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version and exit."));
    const QCommandLineOption headless(QStringLiteral("headless"),
                                      QStringLiteral("Serve only: no window, no display needed."));
    const QCommandLineOption kiosk(QStringLiteral("kiosk"),
                                   QStringLiteral("Full screen with the mouse cursor hidden."));
    const QCommandLineOption source(
        QStringLiteral("source"),
        QStringLiteral("Frame source: test, camera index, /dev/videoN, file or URL (default: test)."),
        QStringLiteral("spec"), QStringLiteral("test"));
    const QCommandLineOption resolution(QStringLiteral("resolution"),
                                        QStringLiteral("Capture size WxH (default: 1280x720)."),
                                        QStringLiteral("WxH"), QStringLiteral("1280x720"));
    const QCommandLineOption fps(QStringLiteral("fps"),
                                 QStringLiteral("Capture frame rate, 1 to 120 (default: 30)."),
                                 QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption quality(QStringLiteral("quality"),
                                     QStringLiteral("JPEG quality, 1 to 100 (default: 80)."),
                                     QStringLiteral("1..100"), QStringLiteral("80"));
    const QCommandLineOption host(QStringLiteral("host"),
                                  QStringLiteral("Address to listen on (default: 0.0.0.0, all)."),
                                  QStringLiteral("address"), QStringLiteral("0.0.0.0"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("TCP port to listen on (default: 8080)."),
                                  QStringLiteral("port"), QStringLiteral("8080"));
    const QCommandLineOption maxClients(
        QStringLiteral("max-clients"),
        QStringLiteral("Most simultaneous connections; more get 503 (default: 64)."),
        QStringLiteral("N"), QStringLiteral("64"));
    const QCommandLineOption netThreads(
        QStringLiteral("net-threads"),
        QStringLiteral("Network threads; 0 = one per core, at most 4 (default: 0)."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption requestTimeout(
        QStringLiteral("request-timeout"),
        QStringLiteral("Seconds a connection may take to send a complete request (default: 5)."),
        QStringLiteral("seconds"), QStringLiteral("5"));
    const QCommandLineOption user(
        QStringLiteral("user"),
        QStringLiteral("Viewer user name for --password (default: viewer)."),
        QStringLiteral("name"), QStringLiteral("viewer"));
    const QCommandLineOption password(
        QStringLiteral("password"),
        QStringLiteral("Require HTTP Basic auth with this password on every route (default: "
                       "none)."),
        QStringLiteral("secret"));
    parser.addOptions({help, version, headless, kiosk, source, resolution, fps, quality, host,
                       port, maxClients, netThreads, requestTimeout, user, password});

    if (!parser.parse(arguments)) {
        *message = parser.errorText() + QStringLiteral("\nTry '%1 --help'.")
                                            .arg(QCoreApplication::applicationName());
        return Outcome::ExitError;
    }
    if (parser.isSet(help)) {
        *message = helpText(parser);
        return Outcome::ExitOk;
    }
    if (parser.isSet(version)) {
        *message = QCoreApplication::applicationName() + QLatin1Char(' ')
                   + QCoreApplication::applicationVersion();
        return Outcome::ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message = QStringLiteral("unexpected argument '%1'\nTry '%2 --help'.")
                       .arg(parser.positionalArguments().first(),
                            QCoreApplication::applicationName());
        return Outcome::ExitError;
    }

    Options o;
    o.headless = parser.isSet(headless);
    o.kiosk = parser.isSet(kiosk);
    PipelineConfig &c = o.pipeline;
    c.source = parser.value(source);
    int timeoutSeconds = 5;
    const QString errors[] = {
        c.source.trimmed().isEmpty() ? QStringLiteral("source must not be empty") : QString(),
        PipelineConfig::parseResolution(parser.value(resolution), &c.resolution),
        PipelineConfig::parseFps(parser.value(fps), &c.fps),
        PipelineConfig::parseQuality(parser.value(quality), &c.quality),
        PipelineConfig::parseHost(parser.value(host), &c.server.host),
        PipelineConfig::parsePort(parser.value(port), &c.server.port),
        PipelineConfig::parsePositive(QStringLiteral("max-clients"), parser.value(maxClients), 1,
                                      100000, &c.server.maxClients),
        PipelineConfig::parsePositive(QStringLiteral("net-threads"), parser.value(netThreads), 0,
                                      64, &c.server.networkThreads),
        PipelineConfig::parsePositive(QStringLiteral("request-timeout"),
                                      parser.value(requestTimeout), 1, 3600, &timeoutSeconds),
    };
    for (const QString &error : errors) {
        if (!error.isEmpty()) {
            *message = QStringLiteral("%1: %2").arg(QCoreApplication::applicationName(), error);
            return Outcome::ExitError;
        }
    }
    c.server.requestTimeoutMs = timeoutSeconds * 1000;
    c.server.user = parser.value(user).toUtf8();
    c.server.password = parser.value(password).toUtf8();
    *options = o;
    return Outcome::Run;
}
