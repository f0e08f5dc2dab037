#include "requesthandler.h"

#include "httpresponse.h"
#include "metrics.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

namespace {
constexpr double kMaxFpsCap = 1000;

HttpHeaders withNoCache(HttpHeaders headers)
{
    headers += Http::noCacheHeaders();
    return headers;
}

HttpResponse reply(const HttpRequest &request, int status, const QByteArray &contentType,
                   const QByteArray &body, HttpHeaders headers = {})
{
    HttpResponse response;
    response.status = status;
    response.keepAlive = request.keepAlive();
    headers.prepend({"Content-Type", contentType});
    response.head = Http::responseHead(status, headers, body.size(), response.keepAlive);
    if (request.method != "HEAD")
        response.body = body;
    return response;
}
} // namespace

namespace {
bool equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    // Compare every byte of the longer one whatever the lengths; only the result leaks.
    const qsizetype n = qMax(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
        const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
        diff |= x ^ y;
    }
    return diff == 0;
}
} // namespace

bool Credentials::accepts(const HttpRequest &request) const
{
    if (!required())
        return true;
    if (!token.isEmpty()) {
        const auto given = request.queryValue("token");
        if (given && equalConstantTime(*given, token))
            return true;
    }
    if (password.isEmpty())
        return false;
    const auto given = request.basicAuth();
    if (!given)
        return false;
    const bool userOk = equalConstantTime(given->user, user);
    const bool passwordOk = equalConstantTime(given->password, password);
    return userOk && passwordOk;
}

std::optional<HttpResponse> RequestHandler::badProfile(const HttpRequest &request,
                                                       const State &state)
{
    QByteArray why;
    if (ProfileRequest::parse(request, &why))
        return std::nullopt;
    if (!state.profilesAllowed.isEmpty())
        why += " (" + state.profilesAllowed + ')';
    return error(400, why);
}

void RequestHandler::addProfileHeaders(HttpHeaders *headers, const State &state, QSize size)
{
    if (!size.isEmpty())
        headers->append({"X-Frame-Size", ProfileSet::sizeText(size)});
    // None for the camera's own JPEGs: their quality is the camera's secret.
    if (state.profile.quality > 0)
        headers->append({"X-Quality", QByteArray::number(state.profile.quality)});
}

HttpResponse RequestHandler::snapshot(const HttpRequest &request, const State &state)
{
    if (auto bad = badProfile(request, state))
        return *bad;
    bool cached = false;
    if (const auto value = request.queryValue("cached")) {
        if (*value != "0" && *value != "1")
            return error(400, "cached must be 0 or 1");
        cached = *value == "1";
    }
    // A profile may have no newest frame worth showing (ClientPool::latest()): it waits for one.
    if (cached && state.latest.isNull() && !state.profile.isFullSize())
        cached = false;
    // Fresh: a frame captured after the request, never one that happened to be the newest
    // (with nobody watching, the encoder is idle and the newest one may be old).
    const bool stale
        = state.latest.isNull() || state.latest.frame.captureTimeUs() <= state.freshAfterUs;
    if (!cached && state.freshAfterUs >= 0 && stale) {
        if (state.freshWaitExpired)
            return error(503, "no frame captured since the request", {{"Retry-After", "1"}});
        HttpResponse wait;
        wait.waitsForFrameAfterUs = state.freshAfterUs;
        return wait;
    }
    if (state.latest.isNull())
        return error(503, "no frame captured yet", {{"Retry-After", "1"}});
    HttpHeaders headers = Http::noCacheHeaders();
    // When the frame was captured: lets a client check that a snapshot is fresh.
    headers.append(qMakePair(QByteArray("X-Timestamp"),
                             Multipart::timestamp(state.latest.frame.captureTimeUs())));
    // The JPEG's own size: a placeholder may differ from the profile's.
    addProfileHeaders(&headers, state, state.latest.frame.size());
    return reply(request, 200, "image/jpeg", state.latest.frame.jpeg(), headers);
}

RequestHandler::RequestHandler(QByteArray indexHtml, QByteArray allowOrigin)
    : m_indexHtml(std::move(indexHtml))
    , m_allowOrigin(std::move(allowOrigin))
{ }

HttpResponse RequestHandler::error(int status, const QByteArray &reason,
                                   const HttpHeaders &extraHeaders)
{
    HttpResponse response;
    response.status = status;
    const QByteArray body
        = QByteArray::number(status) + ' ' + Http::reasonPhrase(status) + ": " + reason + '\n';
    HttpHeaders headers = withNoCache(extraHeaders);
    headers.prepend({"Content-Type", "text/plain; charset=utf-8"});
    response.head = Http::responseHead(status, headers, body.size(), false);
    response.body = body;
    return response;
}

std::optional<HttpResponse> RequestHandler::unauthorized(const HttpRequest &request,
                                                         const Credentials *credentials)
{
    if (!credentials || credentials->accepts(request))
        return std::nullopt;
    if (credentials->password.isEmpty())
        return error(403, "a valid ?token= is required");
    return error(401, "credentials required",
                 {{"WWW-Authenticate", "Basic realm=\"MJPEG Kiosk\", charset=\"UTF-8\""}});
}

HttpResponse RequestHandler::redirect(const QByteArray &location)
{
    HttpResponse response = error(301, "moved to " + location, {{"Location", location}});
    return response;
}

namespace {
// A HEAD answer is the GET head alone, errors included (RFC 9110 section 9.3.2).
HttpResponse headAware(const HttpRequest &request, HttpResponse response)
{
    if (request.method == "HEAD")
        response.body.clear();
    return response;
}
} // namespace

namespace {
// mjpg-streamer's and ustreamer's URLs, which OctoPrint, Mainsail, Fluidd, crowsnest and Home
// Assistant presets use: "/?action=stream" is /stream and "/?action=snapshot" is /snapshot,
// query options (fps, cached, token) included. Other actions are unknown resources.
std::optional<HttpRequest> actionAlias(const HttpRequest &request)
{
    if (request.path != "/")
        return std::nullopt;
    const auto action = request.queryValue("action");
    if (!action)
        return std::nullopt;
    HttpRequest aliased = request;
    if (*action == "stream" || *action == "snapshot")
        aliased.path = '/' + *action;
    else
        aliased.path = "/?action=" + action->left(100); // 404 below names it
    return aliased;
}
} // namespace

std::optional<ProfileRequest> RequestHandler::profileWanted(const HttpRequest &request)
{
    if (const auto aliased = actionAlias(request))
        return profileWanted(*aliased);
    if (request.path != "/stream" && request.path != "/snapshot")
        return std::nullopt;
    QByteArray why;
    return ProfileRequest::parse(request, &why).value_or(ProfileRequest());
}

HttpResponse RequestHandler::handle(const HttpRequest &request, const State &state) const
{
    if (const auto aliased = actionAlias(request))
        return handle(*aliased, state);
    HttpResponse routed = route(request, state);
    if (routed.waitsForFrame() || routed.setsControls)
        return routed; // nothing to send yet: a fresh frame, or the source's answer, comes later
    if (m_allowOrigin.isEmpty())
        return headAware(request, std::move(routed));
    // CORS: a preflight is answered for any route (it carries no credentials), and every answer
    // names the allowed origin so that pages there may read /status or draw /stream on a canvas.
    HttpResponse response;
    if (request.method == "OPTIONS") {
        response.status = 204;
        response.keepAlive = request.keepAlive();
        response.head = Http::responseHead(204,
                                           {{"Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"},
                                            {"Access-Control-Allow-Headers", "Authorization"},
                                            {"Access-Control-Max-Age", "600"}},
                                           -1, response.keepAlive);
    } else {
        response = headAware(request, std::move(routed));
    }
    QByteArray cors = "Access-Control-Allow-Origin: " + m_allowOrigin + "\r\n";
    if (m_allowOrigin != "*")
        cors += "Vary: Origin\r\n";
    response.head.insert(response.head.size() - 2, cors); // before the blank line
    return response;
}

HttpResponse RequestHandler::route(const HttpRequest &request, const State &state) const
{
    const bool known = request.path == "/" || request.path == "/index.html"
        || request.path == "/stream" || request.path == "/snapshot" || request.path == "/status"
        || request.path == "/metrics" || request.path == "/controls";
    if (!known)
        return error(404,
                     "no such resource: " + request.path.left(200)
                         + (request.path.startsWith("/?action=")
                                ? QByteArray(" (actions: stream, snapshot)")
                                : QByteArray()));
    const bool post = request.method == "POST" && request.path == "/controls";
    if (request.method != "GET" && request.method != "HEAD" && !post) {
        if (request.path == "/controls")
            return error(405, "use GET, HEAD or POST", {{"Allow", "GET, HEAD, POST"}});
        return error(405, "use GET or HEAD", {{"Allow", "GET, HEAD"}});
    }
    if (auto refused = unauthorized(request, state.credentials.get()))
        return *refused;

    if (request.path == "/" || request.path == "/index.html")
        return reply(request, 200, "text/html; charset=utf-8", m_indexHtml, Http::noCacheHeaders());

    if (request.path == "/status") {
        ServerStatus status = state.status ? *state.status : ServerStatus();
        status.streaming = state.streaming;
        return reply(request, 200, "application/json", status.toJson(), Http::noCacheHeaders());
    }

    if (request.path == "/metrics") {
        QList<std::shared_ptr<const ServerStatus>> cameras = state.allStatus;
        if (cameras.isEmpty())
            cameras << std::make_shared<const ServerStatus>(state.status ? *state.status
                                                                         : ServerStatus());
        return reply(request, 200, Metrics::contentType(),
                     Metrics::prometheusText(cameras, QDateTime::currentMSecsSinceEpoch()),
                     Http::noCacheHeaders());
    }

    if (request.path == "/controls")
        return post ? setControls(request, state) : controls(request, state);

    if (!state.streaming) {
        const bool cameraOff
            = state.status && state.status->streaming && !state.status->cameraStreaming;
        return error(503,
                     cameraOff
                         ? "streaming of camera '" + state.camera + "' is switched off on the kiosk"
                         : QByteArray("streaming is switched off on the kiosk"),
                     {{"Retry-After", "5"}});
    }
    if (request.path == "/snapshot")
        return snapshot(request, state);

    return stream(request, state);
}

HttpResponse RequestHandler::stream(const HttpRequest &request, const State &state)
{
    if (auto bad = badProfile(request, state))
        return *bad;
    double maxFps = 0;
    if (const auto fps = request.queryValue("fps")) {
        bool ok = false;
        maxFps = fps->toDouble(&ok);
        if (!ok || !(maxFps > 0) || maxFps > kMaxFpsCap)
            return error(400, "fps must be a number above 0 and at most 1000");
    }
    QByteArray viewerLabel;
    if (const auto label = request.queryValue("viewer")) {
        static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_-]{1,32}$"));
        if (!allowed.match(QString::fromLatin1(*label)).hasMatch())
            return error(400, "viewer must be 1 to 32 letters, digits, '-' or '_'");
        viewerLabel = *label;
    }
    if (state.latest.isNull()) {
        // With an encoder to wake (it idles while nobody watches), the first frame comes
        // within a frame interval: the viewer waits for it as a fresh /snapshot does.
        if (state.freshAfterUs >= 0 && !state.freshWaitExpired) {
            HttpResponse wait;
            wait.waitsForFrameAfterUs = 0;
            return wait;
        }
        return error(503, "no frame captured yet", {{"Retry-After", "1"}});
    }
    HttpResponse response;
    response.status = 200;
    HttpHeaders headers = Http::noCacheHeaders();
    headers.prepend({"Content-Type", Multipart::contentType()});
    // Tells nginx and similar proxies not to buffer an endless response.
    headers.append(qMakePair(QByteArray("X-Accel-Buffering"), QByteArray("no")));
    addProfileHeaders(&headers, state, state.profile.size);
    response.head = Http::responseHead(200, headers, -1, false);
    response.startsStream = request.method == "GET";
    response.maxFps = maxFps;
    response.viewerLabel = viewerLabel;
    return response;
}

namespace {
QJsonObject controlsJson(const CameraControls &controls)
{
    return controls.toJson();
}

// The values a POST /controls body names: a JSON object {"brightness": 10, "auto_exposure":
// "Manual Mode", "white_balance_automatic": false} or a form body brightness=10&...; values as
// numbers, booleans or menu item names. Empty with *why on error.
ControlValues parseControlsBody(const HttpRequest &request, const CameraControls &controls,
                                QString *why)
{
    QList<QPair<QString, QString>> texts;
    if (request.header("content-type").startsWith("application/json")) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (!doc.isObject()) {
            *why = QStringLiteral("the body must be a JSON object of control names and values");
            return {};
        }
        const QJsonObject object = doc.object();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QJsonValue v = it.value();
            QString text;
            if (v.isBool())
                text = v.toBool() ? QStringLiteral("1") : QStringLiteral("0");
            else if (v.isDouble() && v.toDouble() == double(qint64(v.toDouble())))
                text = QString::number(qint64(v.toDouble()));
            else if (v.isString())
                text = v.toString();
            else {
                *why = QStringLiteral("%1: a value is a whole number, true/false or a menu name")
                           .arg(it.key().left(64));
                return {};
            }
            texts.append({it.key(), text});
        }
    } else {
        const QUrlQuery form(QString::fromUtf8(request.body));
        texts = form.queryItems(QUrl::FullyDecoded);
    }
    ControlValues values;
    for (const auto &[name, text] : std::as_const(texts)) {
        const CameraControl *control = controls.find(name);
        qint64 value = 0;
        if (!control) {
            values.append({name, 0}); // Controls::refusal() names it with the known ones
            continue;
        }
        if (!Controls::parseValue(*control, text, &value, why))
            return {};
        values.append({name, value});
    }
    if (values.isEmpty())
        *why = QStringLiteral("no control given");
    return values;
}
} // namespace

bool RequestHandler::controlsAllowed(const HttpRequest &request, const State &state)
{
    if (state.credentials && state.credentials->required())
        return state.credentials->accepts(request);
    const QHostAddress peer(request.peer);
    for (const auto &network : state.controlNetworks) {
        if (peer.isInSubnet(network))
            return true;
    }
    return false;
}

HttpResponse RequestHandler::controls(const HttpRequest &request, const State &state)
{
    CameraControls none;
    none.reason = QStringLiteral("the source has not started yet");
    QJsonObject json = controlsJson(state.controls ? *state.controls : none);
    json.insert(QStringLiteral("controls_allowed"), controlsAllowed(request, state));
    return reply(request, 200, "application/json",
                 QJsonDocument(json).toJson(QJsonDocument::Compact), Http::noCacheHeaders());
}

HttpResponse RequestHandler::setControls(const HttpRequest &request, const State &state)
{
    if (!controlsAllowed(request, state))
        return error(403,
                     "changing camera controls needs the viewer password or token; none is set, "
                     "so it is refused unless --allow-control names the network of "
                         + request.peer.toUtf8());
    // A cross-site form can send neither a JSON content type nor a custom header without a
    // CORS preflight, which this server never grants for POST.
    const QByteArray type = request.header("content-type");
    const bool json = type.startsWith("application/json");
    const bool form = type.startsWith("application/x-www-form-urlencoded")
        && !request.header("x-requested-with").isEmpty();
    if (!json && !form)
        return error(415,
                     "POST /controls takes Content-Type: application/json, or a form body with an "
                     "X-Requested-With header");
    if (request.body.size() > kMaxControlsBody)
        return error(413, "the body is over " + QByteArray::number(kMaxControlsBody) + " bytes");
    const CameraControls known = state.controls ? *state.controls : CameraControls();
    if (!known.available)
        return error(409,
                     known.reason.isEmpty() ? QByteArray("the source has no controls")
                                            : known.reason.toUtf8());
    QString why;
    const ControlValues values = parseControlsBody(request, known, &why);
    if (values.isEmpty())
        return error(400, why.toUtf8());
    why = Controls::refusal(known, values);
    if (!why.isEmpty())
        return error(why.contains(QLatin1String("inactive"))
                             || why.contains(QLatin1String("read-only"))
                         ? 409
                         : 400,
                     why.toUtf8());
    HttpResponse admitted;
    admitted.setsControls = true;
    admitted.controlValues = values;
    const auto user = request.basicAuth();
    admitted.controlsBy = request.peer
        + (user ? QStringLiteral(" (user %1)").arg(QString::fromUtf8(user->user))
               : request.queryValue("token") ? QStringLiteral(" (token)")
                                             : QString());
    return admitted;
}

HttpResponse RequestHandler::controlsAnswer(const HttpRequest &request,
                                            const CameraControls &controls, const QString &why)
{
    QJsonObject json = controlsJson(controls);
    if (!why.isEmpty())
        json.insert(QStringLiteral("error"), why);
    return reply(request, why.isEmpty() ? 200 : 409, "application/json",
                 QJsonDocument(json).toJson(QJsonDocument::Compact), Http::noCacheHeaders());
}
