#include "optiontable.h"

#include "capture/cameracontrols.h"
#include "core/pinhash.h"

#include <QFile>

#include <algorithm>

namespace {
using Read = OptionSpec::Read;
using Apply = OptionSpec::Apply;
// Where a row's value lives in PipelineConfig, written once for both directions: `apply` stores
// through it, `read` reads through it from a copy of the (const) config.
template<typename T> using Field = T &(*)(PipelineConfig &);

OptionSpec setting(const QString &name, const QString &valueName, const QString &help,
                   Read read = {}, Apply apply = {})
{
    OptionSpec spec;
    spec.name = name;
    spec.valueName = valueName;
    spec.help = help;
    spec.read = std::move(read);
    spec.apply = std::move(apply);
    return spec;
}

OptionSpec action(const QString &name, const QString &shortName, const QString &valueName,
                  const QString &help)
{
    OptionSpec spec = setting(name, valueName, help);
    spec.kind = OptionSpec::Kind::Action;
    spec.shortName = shortName;
    return spec;
}

// A text field taken as it is.
OptionSpec textField(const QString &name, const QString &valueName, const QString &help,
                     Field<QString> field)
{
    return setting(
        name, valueName, help,
        [field](const PipelineConfig &c) {
            PipelineConfig copy = c;
            return field(copy);
        },
        [field](const QString &text, PipelineConfig *c) {
            field(*c) = text;
            return QString();
        });
}

// A whole number from min to max; `scale` turns the option's unit into the field's (s → ms).
template<typename T>
OptionSpec wholeNumber(const QString &name, const QString &valueName, const QString &help, int min,
                       int max, Field<T> field, int scale = 1)
{
    OptionSpec spec = setting(
        name, valueName, help,
        [field, scale](const PipelineConfig &c) {
            PipelineConfig copy = c;
            return QString::number(field(copy) / scale);
        },
        [name, min, max, field, scale](const QString &text, PipelineConfig *c) {
            int value = 0;
            const QString error = PipelineConfig::parsePositive(name, text, min, max, &value);
            if (error.isEmpty())
                field(*c) = T(value * scale);
            return error;
        });
    spec.minimum = min;
    spec.maximum = max;
    return spec;
}

// A decimal number from min to max, `unit` as the message says it (" of seconds").
OptionSpec decimal(const QString &name, const QString &valueName, const QString &help, double min,
                   double max, const QString &unit, Read read,
                   std::function<void(double, PipelineConfig *)> store)
{
    OptionSpec spec
        = setting(name, valueName, help, std::move(read),
                  [name, min, max, unit, store](const QString &text, PipelineConfig *c) {
                      double value = 0;
                      const QString error
                          = PipelineConfig::parseNumber(name, text, min, max, unit, &value);
                      if (error.isEmpty())
                          store(value, c);
                      return error;
                  });
    spec.minimum = min;
    spec.maximum = max;
    return spec;
}

// A switch: on or off.
OptionSpec onOff(const QString &name, const QString &help, Field<bool> field)
{
    return setting(
        name, QStringLiteral("on|off"), help,
        [field](const PipelineConfig &c) {
            PipelineConfig copy = c;
            return field(copy) ? QStringLiteral("on") : QStringLiteral("off");
        },
        [name, field](const QString &text, PipelineConfig *c) {
            if (text != QLatin1String("on") && text != QLatin1String("off"))
                return QStringLiteral("%1 must be on or off, not '%2'").arg(name, text);
            field(*c) = text == QLatin1String("on");
            return QString();
        });
}

// Basic auth credentials travel in a header that browsers fill from what the user types: the
// password must be printable ASCII wherever it comes from (command line, file, settings panel).
QString checkPassword(const QString &password)
{
    for (const QChar c : password) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return QStringLiteral("password may only hold printable ASCII characters");
    }
    return {};
}

QString readPasswordFile(const QString &path, PipelineConfig *c)
{
    if (path.isEmpty())
        return {}; // an empty value (as in a config file that lists every key): not set
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("password-file: cannot read %1: %2")
            .arg(file.fileName(), file.errorString());
    QByteArray password = file.readLine(4096);
    while (password.endsWith('\n') || password.endsWith('\r'))
        password.chop(1);
    if (password.isEmpty())
        return QStringLiteral("password-file %1 has an empty first line").arg(file.fileName());
    if (const QString error = checkPassword(QString::fromUtf8(password)); !error.isEmpty())
        return QStringLiteral("password-file %1: %2").arg(file.fileName(), error);
    c->server.password = password;
    return {};
}

// The rows in groups, each in --help order (which the groups keep).
QList<OptionSpec> captureRows();
QList<OptionSpec> transformRows();
QList<OptionSpec> listenRows();
QList<OptionSpec> sourceRows();
OptionSpec profilesRow();
QList<OptionSpec> fileAndProxyRows();
QList<OptionSpec> hardeningRows();
QList<OptionSpec> accessRows();
OptionSpec controlRow();
OptionSpec networksRow(const QString &name, const QString &help,
                       QList<QPair<QHostAddress, int>> ServerConfig::*networks);
QList<OptionSpec> operatorRows();
QList<OptionSpec> screenRows();

QList<OptionSpec> buildRows()
{
    QList<OptionSpec> rows{
        action(QStringLiteral("help"), QStringLiteral("h"), {},
               QStringLiteral("Show this help and exit.")),
        action(QStringLiteral("version"), QStringLiteral("v"), {},
               QStringLiteral("Show the version and exit.")),
        // Read by the program itself (app/options.cpp): whether there is a window at all.
        setting(QStringLiteral("headless"), {},
                QStringLiteral("Serve only: no window, no display needed.")),
        setting(QStringLiteral("kiosk"), {},
                QStringLiteral("Full screen with the mouse cursor hidden.")),
    };
    for (const auto &group : {captureRows, transformRows, listenRows, sourceRows, fileAndProxyRows,
                              hardeningRows, accessRows, operatorRows, screenRows})
        rows += group();
    return rows;
}

// NAME=SPEC: a camera named NAME showing what --source SPEC would show.
QString addCamera(const QString &text, PipelineConfig *c)
{
    if (text.trimmed().isEmpty())
        return {}; // an empty value: not set
    const qsizetype equals = text.indexOf(u'=');
    const QString spec = text.mid(equals + 1).trimmed();
    if (equals < 0 || spec.isEmpty())
        return QStringLiteral("camera must be NAME=SPEC, e.g. door=/dev/video0, not '%1'")
            .arg(text);
    CameraConfig camera;
    camera.name = text.left(equals).trimmed();
    camera.source = spec;
    QList<CameraConfig> cameras = c->cameras;
    cameras.append(camera);
    if (const QString error = CameraConfig::checkCameraList(cameras); !error.isEmpty())
        return QStringLiteral("camera %1: %2").arg(text, error);
    c->cameras = cameras;
    return {};
}

OptionSpec cameraRow()
{
    OptionSpec camera = setting(
        QStringLiteral("camera"), QStringLiteral("name=spec"),
        QStringLiteral("A camera named NAME (a-z, 0-9, '-') showing SPEC, anything --source "
                       "takes (repeatable, at most %1; not with --source, whose camera is "
                       "'main'); see Cameras below.")
            .arg(CameraConfig::kMaxCameras),
        [](const PipelineConfig &c) {
            QStringList list;
            for (const CameraConfig &camera : c.cameras)
                list.append(camera.name + u'=' + camera.source);
            return list.join(u',');
        },
        addCamera);
    camera.kind = OptionSpec::Kind::CommandLine;
    camera.repeatable = true;
    camera.excludes = QStringLiteral("source");
    return camera;
}

QList<OptionSpec> captureRows()
{
    OptionSpec source = setting(
        QStringLiteral("source"), QStringLiteral("spec"),
        QStringLiteral("Frame source: test, camera index, /dev/videoN, file or URL (default: "
                       "{default})."),
        [](const PipelineConfig &c) { return c.source; },
        [](const QString &text, PipelineConfig *c) {
            if (text.trimmed().isEmpty())
                return QStringLiteral("source must not be empty");
            c->source = text.trimmed();
            return QString();
        });
    OptionSpec resolution = setting(
        QStringLiteral("resolution"), QStringLiteral("WxH"),
        QStringLiteral("Capture size WxH (default: {default})."),
        [](const PipelineConfig &c) {
            return QStringLiteral("%1x%2").arg(c.resolution.width()).arg(c.resolution.height());
        },
        [](const QString &text, PipelineConfig *c) {
            return PipelineConfig::parseResolution(text, &c->resolution);
        });
    OptionSpec fps = decimal(
        QStringLiteral("fps"), QStringLiteral("N"),
        QStringLiteral("Capture frame rate, {min} to {max} (default: {default})."), 1, 120, {},
        [](const PipelineConfig &c) { return QString::number(c.fps); },
        [](double value, PipelineConfig *c) { c->fps = value; });
    OptionSpec quality
        = wholeNumber<int>(QStringLiteral("quality"), QStringLiteral("{min}..{max}"),
                           QStringLiteral("JPEG quality, {min} to {max} (default: {default})."), 1,
                           100, [](PipelineConfig &c) -> int & { return c.quality; });
    for (OptionSpec *row : {&source, &resolution, &fps, &quality}) {
        row->inSettingsPanel = true;
        row->perCamera = true;
    }
    return {source, cameraRow(), resolution, fps, quality};
}

// The way the camera is mounted; whether a crop fits is checked with the resolution
// (checkTogether), and again on every frame against the size the camera really sends.
QList<OptionSpec> transformRows()
{
    OptionSpec rotate = setting(
        QStringLiteral("rotate"), QStringLiteral("0|90|180|270"),
        QStringLiteral("Turn the picture clockwise by this many degrees, for every viewer and the "
                       "screen; MJPEG pass-through stays lossless (default: {default})."),
        [](const PipelineConfig &c) { return QString::number(c.transform.rotate); },
        [](const QString &text, PipelineConfig *c) {
            return FrameTransform::parseRotate(text, &c->transform.rotate);
        });
    OptionSpec flip = setting(
        QStringLiteral("flip"), QStringLiteral("none|horizontal|vertical"),
        QStringLiteral("Mirror the picture (before --rotate) (default: {default})."),
        [](const PipelineConfig &c) { return FrameTransform::flipName(c.transform.flip); },
        [](const QString &text, PipelineConfig *c) {
            return FrameTransform::parseFlip(text, &c->transform.flip);
        });
    OptionSpec crop = setting(
        QStringLiteral("crop"), QStringLiteral("WxH+X+Y"),
        QStringLiteral("Show only this part of the rotated picture, or none; MJPEG pass-through "
                       "snaps it to the JPEG's 8 or 16 pixel grid (default: none)."),
        [](const PipelineConfig &c) { return FrameTransform::cropText(c.transform.crop); },
        [](const QString &text, PipelineConfig *c) {
            return FrameTransform::parseCrop(text, &c->transform.crop);
        });
    for (OptionSpec *row : {&rotate, &flip, &crop}) {
        row->inSettingsPanel = true;
        row->perCamera = true;
    }
    return {rotate, flip, crop};
}

QList<OptionSpec> listenRows()
{
    OptionSpec host = setting(
        QStringLiteral("host"), QStringLiteral("address"),
        QStringLiteral("Address to listen on (default: {default}, all)."),
        [](const PipelineConfig &c) { return PipelineConfig::hostName(c.server.host); },
        [](const QString &text, PipelineConfig *c) {
            return PipelineConfig::parseHost(text, &c->server.host);
        });
    // 0 picks any free port (tests); the port chosen is logged.
    OptionSpec port
        = wholeNumber<quint16>(QStringLiteral("port"), QStringLiteral("port"),
                               QStringLiteral("TCP port to listen on (default: {default})."), 0,
                               65535, [](PipelineConfig &c) -> quint16 & { return c.server.port; });
    port.inSettingsPanel = true;
    return {
        host,
        port,
        wholeNumber<int>(
            QStringLiteral("max-clients"), QStringLiteral("N"),
            QStringLiteral("Most simultaneous connections; more get 503 (default: {default})."), 1,
            100000, [](PipelineConfig &c) -> int & { return c.server.maxClients; }),
        wholeNumber<int>(
            QStringLiteral("net-threads"), QStringLiteral("N"),
            QStringLiteral("Network threads; 0 = one per core, at most 4 (default: {default})."), 0,
            64, [](PipelineConfig &c) -> int & { return c.server.networkThreads; }),
        wholeNumber<int>(
            QStringLiteral("request-timeout"), QStringLiteral("seconds"),
            QStringLiteral("Seconds a connection may take to send a complete request (default: "
                           "{default})."),
            1, 3600, [](PipelineConfig &c) -> int & { return c.server.requestTimeoutMs; }, 1000),
    };
}

QList<OptionSpec> cameraSourceRows()
{
    QList<OptionSpec> rows{
        setting(
            QStringLiteral("encoder"), QStringLiteral("auto|cpu|passthrough"),
            QStringLiteral("auto: stream an MJPEG camera's own JPEGs unless --quality or "
                           "--overlay needs a re-encode; cpu: always encode; passthrough: never "
                           "re-encode camera JPEGs (default: {default})."),
            [](const PipelineConfig &c) { return PipelineConfig::encoderName(c.encoder); },
            [](const QString &text, PipelineConfig *c) {
                return PipelineConfig::parseEncoder(text, &c->encoder);
            }),
        decimal(
            QStringLiteral("source-timeout"), QStringLiteral("seconds"),
            QStringLiteral("Seconds without a frame before the source counts as lost: viewers "
                           "get 'no signal' frames and the source is reopened (default: "
                           "{default})."),
            0.2, 600, QStringLiteral(" of seconds"),
            [](const PipelineConfig &c) { return QString::number(c.sourceTimeoutMs / 1000.0); },
            [](double value, PipelineConfig *c) { c->sourceTimeoutMs = qRound(value * 1000); }),
        textField(QStringLiteral("overlay"), QStringLiteral("text"),
                  QStringLiteral("Text burned into the streamed frames; strftime fields such as "
                                 "%Y-%m-%d %H:%M:%S are filled in (not in MJPEG pass-through)."),
                  [](PipelineConfig &c) -> QString & { return c.overlay; }),
        wholeNumber<int>(
            QStringLiteral("drop-same-frames"), QStringLiteral("N"),
            QStringLiteral("Do not resend a frame identical to the previous one, but send at "
                           "least every N+1th; 0 = off (default: {default})."),
            0, 100000, [](PipelineConfig &c) -> int & { return c.dropSameFrames; }),
        onOff(QStringLiteral("privacy"),
              QStringLiteral("on: start with the camera hidden, viewers and the screen getting "
                             "the privacy picture until it is shown (default: {default})."),
              [](PipelineConfig &c) -> bool & { return c.privacy; }),
    };
    for (OptionSpec &row : rows)
        row.perCamera = true;
    return rows;
}

QList<OptionSpec> sourceRows()
{
    OptionSpec control = controlRow();
    control.perCamera = true;
    return QList<OptionSpec>{action(QStringLiteral("list-sources"), {}, {},
                                    QStringLiteral("List the cameras (V4L2 and Qt Multimedia) "
                                                   "with their formats and exit."))}
    + cameraSourceRows()
        + QList<OptionSpec>{
            profilesRow(),
            wholeNumber<int>(
                QStringLiteral("max-profiles"), QStringLiteral("N"),
                QStringLiteral("Output profiles encoded at once, the full size included; a "
                               "viewer asking for another gets the nearest one encoded "
                               "(default: {default})."),
                1, 16, [](PipelineConfig &c) -> int & { return c.server.maxProfiles; }),
            control,
        };
}

OptionSpec profilesRow()
{
    OptionSpec profiles = setting(
        QStringLiteral("profiles"), QStringLiteral("list"),
        QStringLiteral("Widths viewers may ask for with ?width= (or ?height=), besides the full "
                       "size (\"full\"); a request gets the nearest, never more than the source "
                       "(default: {default})."),
        [](const PipelineConfig &c) {
            return PipelineConfig::profilesText(c.server.profileWidths);
        },
        [](const QString &text, PipelineConfig *c) {
            return PipelineConfig::parseProfiles(text, &c->server.profileWidths);
        });
    profiles.inSettingsPanel = true;
    return profiles;
}

OptionSpec controlRow()
{
    OptionSpec control = setting(
        QStringLiteral("control"), QStringLiteral("name=value"),
        QStringLiteral("Set a camera control at every start and reconnect (repeatable), e.g. "
                       "brightness=10 or auto_exposure=Manual Mode; GET /controls lists them."),
        [](const PipelineConfig &c) { return c.controls.join(u','); },
        [](const QString &text, PipelineConfig *c) {
            for (const QString &item : text.split(u',', Qt::SkipEmptyParts)) {
                QString name, value, error;
                if (!Controls::parseAssignment(item.trimmed(), &name, &value, &error))
                    return QStringLiteral("control: ") + error;
                c->controls.append(name + u'=' + value);
            }
            return QString();
        });
    control.repeatable = true;
    return control;
}

QList<OptionSpec> fileAndProxyRows()
{
    OptionSpec config = action(QStringLiteral("config"), {}, QStringLiteral("file"),
                               QStringLiteral("Read options from this INI file; the command line "
                                              "wins (default: {default}; '' for none)."));
    config.fixedDefault = QStringLiteral("/etc/mjpeg-kiosk.conf");
    OptionSpec trustedProxy = setting(
        QStringLiteral("trusted-proxy"), QStringLiteral("address"),
        QStringLiteral("Address of a reverse proxy whose X-Forwarded-For names the viewer "
                       "(default: none)."),
        [](const PipelineConfig &c) {
            return c.server.trustedProxy.isNull() ? QString() : c.server.trustedProxy.toString();
        },
        [](const QString &text, PipelineConfig *c) {
            const QString proxy = text.trimmed();
            if (!proxy.isEmpty() && !c->server.trustedProxy.setAddress(proxy))
                return QStringLiteral("trusted-proxy must be an IP address, not '%1'").arg(proxy);
            return QString();
        });
    OptionSpec zeroCopy
        = onOff(QStringLiteral("zero-copy"),
                QStringLiteral("on: send parts with sendfile() from one in-memory file per frame; "
                               "off: write them from memory to each socket (default: {default})."),
                [](PipelineConfig &c) -> bool & { return c.server.zeroCopy; });
    return {config, trustedProxy, zeroCopy};
}

QList<OptionSpec> hardeningRows()
{
    return {
        wholeNumber<int>(QStringLiteral("max-clients-per-address"), QStringLiteral("N"),
                         QStringLiteral("Most simultaneous connections from one address; 0 = no "
                                        "limit (default: {default})."),
                         0, 100000,
                         [](PipelineConfig &c) -> int & { return c.server.maxClientsPerAddress; }),
        wholeNumber<int>(QStringLiteral("client-buffer"), QStringLiteral("bytes"),
                         QStringLiteral("Kernel send buffer per connection in bytes (SO_SNDBUF); "
                                        "0 = kernel autotuning (default: {default})."),
                         0, 64 * 1024 * 1024,
                         [](PipelineConfig &c) -> int & { return c.server.clientBufferBytes; }),
        wholeNumber<int>(
            QStringLiteral("send-timeout"), QStringLiteral("seconds"),
            QStringLiteral("Seconds a viewer may accept no byte before it is dropped "
                           "(default: {default})."),
            1, 3600, [](PipelineConfig &c) -> int & { return c.server.sendTimeoutMs; }, 1000),
    };
}

// Values here are bytes on the wire (headers), hence QByteArray fields.
OptionSpec bytesField(const QString &name, const QString &valueName, const QString &help,
                      Field<QByteArray> field, std::function<QString(const QString &)> check)
{
    return setting(
        name, valueName, help,
        [field](const PipelineConfig &c) {
            PipelineConfig copy = c;
            return QString::fromUtf8(field(copy));
        },
        [field, check](const QString &text, PipelineConfig *c) {
            if (const QString error = check(text); !error.isEmpty())
                return error;
            field(*c) = text.toUtf8();
            return QString();
        });
}

QList<OptionSpec> credentialRows()
{
    OptionSpec user = bytesField(
        QStringLiteral("user"), QStringLiteral("name"),
        QStringLiteral("User name for HTTP Basic auth (default: {default})."),
        [](PipelineConfig &c) -> QByteArray & { return c.server.user; },
        [](const QString &text) {
            return text.isEmpty() || text.contains(u':')
                ? QStringLiteral("user must be a non-empty name without ':'")
                : QString();
        });
    OptionSpec password = bytesField(
        QStringLiteral("password"), QStringLiteral("secret"),
        QStringLiteral("Require HTTP Basic auth with this password (visible in ps: prefer "
                       "--password-file)."),
        [](PipelineConfig &c) -> QByteArray & { return c.server.password; }, checkPassword);
    password.inSettingsPanel = true;
    OptionSpec passwordFile = setting(
        QStringLiteral("password-file"), QStringLiteral("file"),
        QStringLiteral("Require HTTP Basic auth with the password on the first line of this "
                       "file."),
        [](const PipelineConfig &) { return QString(); }, // the file's name is not kept
        readPasswordFile);
    passwordFile.excludes = password.name;
    // An empty token (as in a config file that lists every key) means "not set".
    OptionSpec token = bytesField(
        QStringLiteral("token"), QStringLiteral("secret"),
        QStringLiteral("Also accept ?token=SECRET instead of Basic auth (for <img> embedding)."),
        [](PipelineConfig &c) -> QByteArray & { return c.server.token; },
        [](const QString &text) {
            return !text.isEmpty() && text.toUtf8().size() < 8
                ? QStringLiteral("token must have at least 8 characters")
                : QString();
        });
    return {user, password, passwordFile, token};
}

QList<OptionSpec> accessRows()
{
    OptionSpec allowOrigin = bytesField(
        QStringLiteral("allow-origin"), QStringLiteral("origin"),
        QStringLiteral("Access-Control-Allow-Origin for every answer (CORS), e.g. * or "
                       "https://example.org."),
        [](PipelineConfig &c) -> QByteArray & { return c.server.allowOrigin; },
        [](const QString &text) {
            for (const QChar ch : text) {
                if (ch.unicode() < 0x21 || ch.unicode() > 0x7e)
                    return QStringLiteral(
                        "allow-origin must be * or an origin like https://example.org");
            }
            return QString();
        });
    return credentialRows()
        + QList<OptionSpec>{
            allowOrigin,
            networksRow(QStringLiteral("allow"),
                        QStringLiteral("Accept connections only from this network (repeatable), "
                                       "e.g. 192.168.0.0/16; others get 403."),
                        &ServerConfig::allowedNetworks),
            networksRow(QStringLiteral("allow-control"),
                        QStringLiteral("With no password or token set, camera controls may be "
                                       "changed (POST /controls) from this network "
                                       "(repeatable), e.g. 127.0.0.1 or 192.168.1.0/24; from "
                                       "nowhere else."),
                        &ServerConfig::controlNetworks),
            textField(QStringLiteral("tls-cert"), QStringLiteral("file"),
                      QStringLiteral("PEM certificate (chain) for HTTPS."),
                      [](PipelineConfig &c) -> QString & { return c.server.tlsCertificateFile; }),
            textField(QStringLiteral("tls-key"), QStringLiteral("file"),
                      QStringLiteral("PEM private key for HTTPS (unencrypted)."),
                      [](PipelineConfig &c) -> QString & { return c.server.tlsKeyFile; }),
            wholeNumber<quint16>(
                QStringLiteral("tls-port"), QStringLiteral("port"),
                QStringLiteral("HTTPS port when --tls-cert/--tls-key are given (default: "
                               "{default})."),
                0, 65535, [](PipelineConfig &c) -> quint16 & { return c.server.tlsPort; }),
        };
}

// The operator PIN's hash from the first line of a file (kept out of the config file, e.g. for a
// file only root reads).
QString readPinFile(const QString &path, PipelineConfig *c)
{
    if (path.isEmpty())
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("admin-pin-file: cannot read %1: %2")
            .arg(file.fileName(), file.errorString());
    const QString line = QString::fromUtf8(file.readLine(4096)).trimmed();
    if (const QString error
        = PinHash::checkStored(QStringLiteral("admin-pin-file %1").arg(path), line);
        !error.isEmpty())
        return error;
    c->kiosk.adminPinHash = line;
    return {};
}

QList<OptionSpec> operatorRows()
{
    OptionSpec pin = setting(
        QStringLiteral("admin-pin"), QStringLiteral("hash"),
        QStringLiteral("Operator PIN, as the hash --hash-pin prints: Stop streaming, Privacy, "
                       "Snapshot, Settings and Share this view then ask for it on the screen "
                       "(default: none)."),
        [](const PipelineConfig &c) { return c.kiosk.adminPinHash; },
        [](const QString &text, PipelineConfig *c) {
            if (text.trimmed().isEmpty()) {
                c->kiosk.adminPinHash.clear();
                return QString();
            }
            const QString error = PinHash::checkStored(QStringLiteral("admin-pin"), text);
            if (error.isEmpty())
                c->kiosk.adminPinHash = text.trimmed();
            return error;
        });
    pin.inSettingsPanel = true;
    OptionSpec pinFile = setting(
        QStringLiteral("admin-pin-file"), QStringLiteral("file"),
        QStringLiteral("Operator PIN: the hash --hash-pin prints, on the first line of this "
                       "file."),
        [](const PipelineConfig &) { return QString(); }, // the file's name is not kept
        readPinFile);
    pinFile.excludes = pin.name;
    OptionSpec lockAfter = wholeNumber<int>(
        QStringLiteral("lock-after"), QStringLiteral("minutes"),
        QStringLiteral("Minutes without a touch before the controls lock again, {min} to {max} "
                       "(default: {default})."),
        1, 1440, [](PipelineConfig &c) -> int & { return c.kiosk.lockAfterMinutes; });
    lockAfter.inSettingsPanel = true;
    return {
        pin,
        pinFile,
        action(QStringLiteral("hash-pin"), {}, {},
               QStringLiteral("Read a PIN (4 to 12 digits) from standard input, print its salted "
                              "hash for --admin-pin or --admin-pin-file, and exit.")),
        lockAfter,
        onOff(QStringLiteral("lock-snapshot"),
              QStringLiteral("on: Snapshot asks for the operator PIN too (default: {default})."),
              [](PipelineConfig &c) -> bool & { return c.kiosk.lockSnapshot; }),
    };
}

QList<OptionSpec> screenRows()
{
    OptionSpec dim = wholeNumber<int>(
        QStringLiteral("screen-dim-after"), QStringLiteral("minutes"),
        QStringLiteral("Dim the screen after this many minutes without a touch; 0 = never, at "
                       "most {max} (default: {default})."),
        0, 1440, [](PipelineConfig &c) -> int & { return c.kiosk.dimAfterMinutes; });
    OptionSpec off = wholeNumber<int>(
        QStringLiteral("screen-off-after"), QStringLiteral("minutes"),
        QStringLiteral("Switch the screen off after this many minutes without a touch; 0 = "
                       "never, at most {max} (default: {default})."),
        0, 1440, [](PipelineConfig &c) -> int & { return c.kiosk.offAfterMinutes; });
    OptionSpec schedule = setting(
        QStringLiteral("screen-schedule"), QStringLiteral("HH:MM-HH:MM"),
        QStringLiteral("Keep the screen off between these times (local), e.g. 22:00-07:00; a "
                       "touch lights it for a while (default: none)."),
        [](const PipelineConfig &c) {
            return PipelineConfig::scheduleText(c.kiosk.scheduleFrom, c.kiosk.scheduleTo);
        },
        [](const QString &text, PipelineConfig *c) {
            return PipelineConfig::parseSchedule(text, &c->kiosk.scheduleFrom,
                                                 &c->kiosk.scheduleTo);
        });
    OptionSpec backlight = textField(
        QStringLiteral("backlight"), QStringLiteral("auto|none|folder"),
        QStringLiteral("Backlight for dimming and switching off: auto (the first writable "
                       "/sys/class/backlight/*), none (a black screen instead) or a folder "
                       "holding brightness and max_brightness (default: {default})."),
        [](PipelineConfig &c) -> QString & { return c.kiosk.backlight; });
    // Done by the UI itself (qml/ScreenRotation.qml): eglfs turns no Qt Quick content.
    OptionSpec rotation = setting(
        QStringLiteral("screen-rotation"), QStringLiteral("0|90|180|270"),
        QStringLiteral("Turn the whole kiosk screen, touch included, clockwise by this many "
                       "degrees, for a screen mounted in portrait or upside down; the picture "
                       "on it is --rotate's (default: {default})."),
        [](const PipelineConfig &c) { return QString::number(c.kiosk.screenRotation); },
        [](const QString &text, PipelineConfig *c) {
            return FrameTransform::parseRotate(text, &c->kiosk.screenRotation,
                                               QStringLiteral("screen-rotation"));
        });
    for (OptionSpec *row : {&dim, &off, &schedule, &rotation})
        row->inSettingsPanel = true;
    return {dim, off, schedule, backlight, rotation};
}

bool anyNonEmpty(const QStringList &values)
{
    return std::any_of(values.cbegin(), values.cend(),
                       [](const QString &value) { return !value.isEmpty(); });
}

QString fill(const OptionSpec &row, QString text)
{
    if (text.contains(QLatin1String("{default}")))
        text.replace(QLatin1String("{default}"), row.defaultText());
    if (row.minimum)
        text.replace(QLatin1String("{min}"), QString::number(*row.minimum));
    if (row.maximum)
        text.replace(QLatin1String("{max}"), QString::number(*row.maximum));
    return text;
}
} // namespace

QString OptionSpec::defaultText() const
{
    return read ? read(PipelineConfig()) : fixedDefault;
}

QString OptionSpec::helpText() const
{
    return fill(*this, help);
}

QCommandLineOption OptionSpec::commandLineOption() const
{
    QStringList names{name};
    if (!shortName.isEmpty())
        names.prepend(shortName);
    return QCommandLineOption(names, helpText(), fill(*this, valueName));
}

const QList<OptionSpec> &OptionTable::rows()
{
    static const QList<OptionSpec> all = buildRows();
    return all;
}

const OptionSpec *OptionTable::find(const QString &name)
{
    for (const OptionSpec &row : rows()) {
        if (row.name == name)
            return &row;
    }
    return nullptr;
}

QString OptionTable::checkTogether(const PipelineConfig &c)
{
    if (c.server.tlsCertificateFile.isEmpty() != c.server.tlsKeyFile.isEmpty())
        return QStringLiteral("HTTPS needs both --tls-cert and --tls-key");
    if (const QString error = c.transform.checkFits(c.resolution); !error.isEmpty())
        return error;
    for (const CameraConfig &camera : c.cameras) {
        if (const QString error = camera.transform.checkFits(camera.resolution); !error.isEmpty())
            return QStringLiteral("camera %1: %2").arg(camera.name, error);
    }
    return {};
}

QString OptionTable::applyAll(const ValuesOf &valuesOf, PipelineConfig *config, JointRules joint,
                              const CameraSections &sections)
{
    const bool checkJoint = joint == JointRules::Check;
    for (const OptionSpec &row : rows()) {
        const OptionSpec *other
            = row.excludes.isEmpty() || !checkJoint ? nullptr : find(row.excludes);
        if (other && anyNonEmpty(valuesOf(row)) && anyNonEmpty(valuesOf(*other)))
            return QStringLiteral("give --%1 or --%2, not both").arg(other->name, row.name);
    }
    for (const OptionSpec &row : rows()) {
        if (!row.apply)
            continue;
        for (const QString &value : valuesOf(row)) {
            if (const QString error = row.apply(value, config); !error.isEmpty())
                return error;
        }
    }
    // A quality given (even the default one) asks auto mode to re-encode camera JPEGs.
    config->qualityForced = anyNonEmpty(valuesOf(*find(QStringLiteral("quality"))));
    if (const QString error = applyCameras(sections, config); !error.isEmpty())
        return error;
    return checkJoint ? checkTogether(*config) : QString();
}

QString OptionTable::applyCameras(const CameraSections &sections, PipelineConfig *config)
{
    if (config->cameras.isEmpty() && sections.contains(QStringLiteral("main")))
        config->cameras.append(static_cast<const CameraConfig &>(*config));
    for (auto it = sections.cbegin(); it != sections.cend(); ++it) {
        const bool known = std::any_of(config->cameras.cbegin(), config->cameras.cend(),
                                       [&it](const CameraConfig &c) { return c.name == it.key(); });
        if (!known)
            return QStringLiteral("camera section '%1' has no source and no camera is named so")
                .arg(it.key());
    }
    for (CameraConfig &camera : config->cameras) {
        CameraConfig base = *config;
        base.name = camera.name;
        base.source = camera.source; // --camera's (or --source's for "main")
        if (const QString error = cameraWith(base, sections.value(camera.name), &camera);
            !error.isEmpty())
            return QStringLiteral("camera %1: %2").arg(camera.name, error);
    }
    return {};
}

QString OptionTable::cameraWith(const CameraConfig &base, const CameraValues &own,
                                CameraConfig *camera)
{
    PipelineConfig whole;
    for (const OptionSpec &row : rows()) {
        if (!row.perCamera)
            continue;
        const QStringList values
            = own.contains(row.name) ? own[row.name] : QStringList{readCamera(row, base)};
        for (const QString &value : values) {
            if (const QString error = row.apply(value, &whole); !error.isEmpty())
                return error;
        }
    }
    whole.name = base.name;
    whole.qualityForced = base.qualityForced || anyNonEmpty(own.value(QStringLiteral("quality")));
    *camera = whole;
    return {};
}

QString OptionTable::applyToCamera(const OptionSpec &row, const QString &text, CameraConfig *camera)
{
    PipelineConfig scratch;
    static_cast<CameraConfig &>(scratch) = *camera;
    const QString error = row.apply(text, &scratch);
    if (error.isEmpty())
        *camera = scratch;
    return error;
}

QString OptionTable::readCamera(const OptionSpec &row, const CameraConfig &camera)
{
    PipelineConfig scratch;
    static_cast<CameraConfig &>(scratch) = camera;
    return row.read(scratch);
}

namespace {
// A repeatable list of networks ("192.168.0.0/16", "10.0.0.5") in a ServerConfig field.
OptionSpec networksRow(const QString &name, const QString &help,
                       QList<QPair<QHostAddress, int>> ServerConfig::*networks)
{
    OptionSpec row = setting(
        name, QStringLiteral("network"), help,
        [networks](const PipelineConfig &c) {
            QStringList list; // as the config file lists them
            for (const auto &[address, length] : c.server.*networks)
                list.append(QStringLiteral("%1/%2").arg(address.toString()).arg(length));
            return list.join(u',');
        },
        [name, networks](const QString &text, PipelineConfig *c) {
            if (text.trimmed().isEmpty())
                return QString();
            const auto subnet = QHostAddress::parseSubnet(text.trimmed());
            if (subnet.second < 0)
                return QStringLiteral("%1 must be an address or network like "
                                      "192.168.0.0/16, not '%2'")
                    .arg(name, text);
            (c->server.*networks).append(subnet);
            return QString();
        });
    row.repeatable = true;
    return row;
}
} // namespace
