#include "options.h"

#include "capture/sourcefactory.h"
#include "configfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

namespace {
QString helpText(QCommandLineParser &parser)
{
    return parser.helpText()
        + QStringLiteral(
               "\nSources: 'test' (built-in pattern), a camera index (0), a V4L2 device "
               "(/dev/video0),\nqt: or qt:<id> (Qt Multimedia camera), opencv:<spec> (OpenCV "
               "capture), a video file\n(played in a loop) or a URL (rtsp://..., http://...). "
               "--list-sources shows the cameras.\n\nHTTP: GET / (viewer page), /stream[?fps=N] "
               "(MJPEG), /snapshot (JPEG), /status (JSON), /metrics (Prometheus).\n");
}
// Credentials, CORS, allowed networks and TLS files; an error text when one is wrong.
QString parseAccess(const QCommandLineParser &parser, const QCommandLineOption &user,
                    const QCommandLineOption &password, const QCommandLineOption &passwordFile,
                    const QCommandLineOption &token, const QCommandLineOption &allowOrigin,
                    const QCommandLineOption &allow, const QCommandLineOption &tlsCert,
                    const QCommandLineOption &tlsKey, ServerConfig *server)
{
    server->user = parser.value(user).toUtf8();
    if (server->user.isEmpty() || server->user.contains(':'))
        return QStringLiteral("user must be a non-empty name without ':'");
    // An empty value (as in a config file that lists every key) means "not set".
    const QString passwordValue = parser.value(password);
    const QString passwordPath = parser.value(passwordFile);
    if (!passwordValue.isEmpty() && !passwordPath.isEmpty())
        return QStringLiteral("give --password or --password-file, not both");
    if (!passwordValue.isEmpty())
        server->password = passwordValue.toUtf8();
    if (!passwordPath.isEmpty()) {
        QFile file(passwordPath);
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read password file %1: %2")
                .arg(file.fileName(), file.errorString());
        server->password = file.readLine(4096);
        while (server->password.endsWith('\n') || server->password.endsWith('\r'))
            server->password.chop(1);
        if (server->password.isEmpty())
            return QStringLiteral("password file %1 has an empty first line").arg(file.fileName());
    }
    if (const QString tokenValue = parser.value(token); !tokenValue.isEmpty()) {
        server->token = tokenValue.toUtf8();
        if (server->token.size() < 8)
            return QStringLiteral("token must have at least 8 characters");
    }
    server->allowOrigin = parser.value(allowOrigin).toUtf8();
    for (const char c : std::as_const(server->allowOrigin)) {
        if (c < 0x21 || c > 0x7e)
            return QStringLiteral("allow-origin must be * or an origin like https://example.org");
    }
    for (const QString &network : parser.values(allow)) {
        if (network.trimmed().isEmpty())
            continue;
        const auto subnet = QHostAddress::parseSubnet(network.trimmed());
        if (subnet.second < 0)
            return QStringLiteral("allow must be an address or network like 192.168.0.0/16, "
                                  "not '%1'")
                .arg(network);
        server->allowedNetworks.append(subnet);
    }
    server->tlsCertificateFile = parser.value(tlsCert);
    server->tlsKeyFile = parser.value(tlsKey);
    if (server->tlsCertificateFile.isEmpty() != server->tlsKeyFile.isEmpty())
        return QStringLiteral("HTTPS needs both --tls-cert and --tls-key");
    return {};
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
        QStringLiteral(
            "Frame source: test, camera index, /dev/videoN, file or URL (default: test)."),
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
    // Camera sources.
    const QCommandLineOption listSources(
        QStringLiteral("list-sources"),
        QStringLiteral("List the cameras (V4L2 and Qt Multimedia) with their formats and exit."));
    const QCommandLineOption encoder(
        QStringLiteral("encoder"),
        QStringLiteral("auto: stream an MJPEG camera's own JPEGs unless --quality or --overlay "
                       "needs a re-encode; cpu: always encode; passthrough: never re-encode "
                       "camera JPEGs (default: auto)."),
        QStringLiteral("auto|cpu|passthrough"), QStringLiteral("auto"));
    const QCommandLineOption sourceTimeout(
        QStringLiteral("source-timeout"),
        QStringLiteral("Seconds without a frame before the source counts as lost: viewers get "
                       "'no signal' frames and the source is reopened (default: 2)."),
        QStringLiteral("seconds"), QStringLiteral("2"));
    const QCommandLineOption overlay(
        QStringLiteral("overlay"),
        QStringLiteral("Text burned into the streamed frames; strftime fields such as "
                       "%Y-%m-%d %H:%M:%S are filled in (not in MJPEG pass-through)."),
        QStringLiteral("text"));
    const QCommandLineOption dropSame(
        QStringLiteral("drop-same-frames"),
        QStringLiteral("Do not resend a frame identical to the previous one, but send at least "
                       "every N+1th; 0 = off (default: 0)."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QStringLiteral("Read options from this INI file; the command line wins (default: %1; "
                       "'' for none).")
            .arg(ConfigFile::defaultPath()),
        QStringLiteral("file"));
    const QCommandLineOption trustedProxy(
        QStringLiteral("trusted-proxy"),
        QStringLiteral("Address of a reverse proxy whose X-Forwarded-For names the viewer "
                       "(default: none)."),
        QStringLiteral("address"));
    const QCommandLineOption zeroCopy(
        QStringLiteral("zero-copy"),
        QStringLiteral("on: send parts with sendfile() from one in-memory file per frame; off: "
                       "write them from memory to each socket (default: on)."),
        QStringLiteral("on|off"), QStringLiteral("on"));
    // Hardening: limits, access control, TLS (README "Security").
    const QCommandLineOption maxPerAddress(
        QStringLiteral("max-clients-per-address"),
        QStringLiteral("Most simultaneous connections from one address; 0 = no limit (default: "
                       "16)."),
        QStringLiteral("N"), QStringLiteral("16"));
    const QCommandLineOption clientBuffer(
        QStringLiteral("client-buffer"),
        QStringLiteral("Kernel send buffer per connection in bytes (SO_SNDBUF); 0 = kernel "
                       "autotuning (default: 0)."),
        QStringLiteral("bytes"), QStringLiteral("0"));
    const QCommandLineOption sendTimeout(
        QStringLiteral("send-timeout"),
        QStringLiteral("Seconds a viewer may accept no byte before it is dropped (default: 30)."),
        QStringLiteral("seconds"), QStringLiteral("30"));
    const QCommandLineOption user(
        QStringLiteral("user"), QStringLiteral("User name for HTTP Basic auth (default: viewer)."),
        QStringLiteral("name"), QStringLiteral("viewer"));
    const QCommandLineOption password(
        QStringLiteral("password"),
        QStringLiteral("Require HTTP Basic auth with this password (visible in ps: prefer "
                       "--password-file)."),
        QStringLiteral("secret"));
    const QCommandLineOption passwordFile(
        QStringLiteral("password-file"),
        QStringLiteral("Require HTTP Basic auth with the password on the first line of this file."),
        QStringLiteral("file"));
    const QCommandLineOption token(
        QStringLiteral("token"),
        QStringLiteral("Also accept ?token=SECRET instead of Basic auth (for <img> embedding)."),
        QStringLiteral("secret"));
    const QCommandLineOption allowOrigin(
        QStringLiteral("allow-origin"),
        QStringLiteral("Access-Control-Allow-Origin for every answer (CORS), e.g. * or "
                       "https://example.org."),
        QStringLiteral("origin"));
    const QCommandLineOption allow(
        QStringLiteral("allow"),
        QStringLiteral("Accept connections only from this network (repeatable), e.g. "
                       "192.168.0.0/16; others get 403."),
        QStringLiteral("network"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("PEM certificate (chain) for HTTPS."),
                                     QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("PEM private key for HTTPS (unencrypted)."),
                                    QStringLiteral("file"));
    const QCommandLineOption tlsPort(
        QStringLiteral("tls-port"),
        QStringLiteral("HTTPS port when --tls-cert/--tls-key are given (default: 8443)."),
        QStringLiteral("port"), QStringLiteral("8443"));
    parser.addOptions(
        {help,    version,       headless, kiosk,      source,     resolution,     fps,
         quality, host,          port,     maxClients, netThreads, requestTimeout, listSources,
         encoder, sourceTimeout, overlay,  dropSame,   config,     trustedProxy,   zeroCopy});
    parser.addOptions({maxPerAddress, clientBuffer, sendTimeout, user, password, passwordFile,
                       token, allowOrigin, allow, tlsCert, tlsKey, tlsPort});

    if (!parser.parse(arguments)) {
        *message = parser.errorText()
            + QStringLiteral("\nTry '%1 --help'.").arg(QCoreApplication::applicationName());
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
    if (parser.isSet(listSources)) {
        *message = describeSources();
        return Outcome::ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message
            = QStringLiteral("unexpected argument '%1'\nTry '%2 --help'.")
                  .arg(parser.positionalArguments().first(), QCoreApplication::applicationName());
        return Outcome::ExitError;
    }

    // Options the command line leaves out may come from the config file. Each is checked by
    // parsing again with it, with "--config ''" so that no file is read twice.
    const QStringList noConfig{QStringLiteral("--config"), QString()};
    const QString configPath
        = parser.isSet(config) ? parser.value(config) : ConfigFile::defaultPath();
    if (!configPath.isEmpty()) {
        Options commandLineOnly; // its errors are the command line's, not the file's
        if (parse(arguments + noConfig, &commandLineOnly, message) != Outcome::Run)
            return Outcome::ExitError;
        const auto check = [&noConfig](const QStringList &args) {
            Options ignored;
            QString problem;
            if (parse(args + noConfig, &ignored, &problem) == Outcome::Run)
                return QString();
            const QString prefix = QCoreApplication::applicationName() + QStringLiteral(": ");
            return problem.startsWith(prefix) ? problem.mid(prefix.size()) : problem;
        };
        QString error;
        const auto merged
            = ConfigFile::merge(parser, arguments, configPath, parser.isSet(config), check, &error);
        if (!merged) {
            *message = QStringLiteral("%1: %2").arg(QCoreApplication::applicationName(), error);
            return Outcome::ExitError;
        }
        return parse(*merged + noConfig, options, message);
    }

    Options o;
    o.headless = parser.isSet(headless);
    o.kiosk = parser.isSet(kiosk);
    o.given = parser.optionNames();
    PipelineConfig &c = o.pipeline;
    c.source = parser.value(source);
    int timeoutSeconds = 5;
    double sourceTimeoutSeconds = 2;
    const QString sourceTimeoutError = [&] {
        bool ok = false;
        sourceTimeoutSeconds = parser.value(sourceTimeout).trimmed().toDouble(&ok);
        return ok && sourceTimeoutSeconds >= 0.2 && sourceTimeoutSeconds <= 600
            ? QString()
            : QStringLiteral("source-timeout must be a number of seconds from 0.2 to 600, "
                             "not '%1'")
                  .arg(parser.value(sourceTimeout));
    }();
    int sendTimeoutSeconds = 30;
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
        PipelineConfig::parseEncoder(parser.value(encoder), &c.encoder),
        sourceTimeoutError,
        PipelineConfig::parsePositive(QStringLiteral("drop-same-frames"), parser.value(dropSame), 0,
                                      100000, &c.dropSameFrames),
        PipelineConfig::parsePositive(QStringLiteral("max-clients-per-address"),
                                      parser.value(maxPerAddress), 0, 100000,
                                      &c.server.maxClientsPerAddress),
        PipelineConfig::parsePositive(QStringLiteral("client-buffer"), parser.value(clientBuffer),
                                      0, 64 * 1024 * 1024, &c.server.clientBufferBytes),
        PipelineConfig::parsePositive(QStringLiteral("send-timeout"), parser.value(sendTimeout), 1,
                                      3600, &sendTimeoutSeconds),
        PipelineConfig::parsePort(parser.value(tlsPort), &c.server.tlsPort),
        parseAccess(parser, user, password, passwordFile, token, allowOrigin, allow, tlsCert,
                    tlsKey, &c.server),
    };
    for (const QString &error : errors) {
        if (!error.isEmpty()) {
            *message = QStringLiteral("%1: %2").arg(QCoreApplication::applicationName(), error);
            return Outcome::ExitError;
        }
    }
    c.server.requestTimeoutMs = timeoutSeconds * 1000;
    if (const QString mode = parser.value(zeroCopy); mode == QLatin1String("on")) {
        c.server.zeroCopy = true;
    } else if (mode == QLatin1String("off")) {
        c.server.zeroCopy = false;
    } else {
        *message = QStringLiteral("%1: zero-copy must be on or off, not '%2'")
                       .arg(QCoreApplication::applicationName(), mode);
        return Outcome::ExitError;
    }
    if (const QString proxy = parser.value(trustedProxy).trimmed();
        !proxy.isEmpty() && !c.server.trustedProxy.setAddress(proxy)) {
        *message = QStringLiteral("%1: trusted-proxy must be an IP address, not '%2'")
                       .arg(QCoreApplication::applicationName(), proxy);
        return Outcome::ExitError;
    }
    c.qualityForced = parser.isSet(quality);
    c.sourceTimeoutMs = qRound(sourceTimeoutSeconds * 1000);
    c.overlay = parser.value(overlay);
    c.previewFps = o.headless ? 0 : c.previewFps; // nobody looks at a preview when headless
    c.server.sendTimeoutMs = sendTimeoutSeconds * 1000;
    *options = o;
    return Outcome::Run;
}
