#include "requesthandler.h"

#include "httpresponse.h"
#include "metrics.h"

#include <QDateTime>

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

HttpResponse RequestHandler::snapshot(const HttpRequest &request, const State &state)
{
    bool cached = false;
    if (const auto value = request.queryValue("cached")) {
        if (*value != "0" && *value != "1")
            return error(400, "cached must be 0 or 1");
        cached = *value == "1";
    }
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

namespace {
// A HEAD answer is the GET head alone, errors included (RFC 9110 section 9.3.2).
HttpResponse headAware(const HttpRequest &request, HttpResponse response)
{
    if (request.method == "HEAD")
        response.body.clear();
    return response;
}
} // namespace

HttpResponse RequestHandler::handle(const HttpRequest &request, const State &state) const
{
    HttpResponse routed = route(request, state);
    if (routed.waitsForFrame())
        return routed; // nothing to send yet; handled again with a fresh frame
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
        || request.path == "/metrics";
    if (!known)
        return error(404, "no such resource: " + request.path.left(200));
    if (request.method != "GET" && request.method != "HEAD")
        return error(405, "use GET or HEAD", {{"Allow", "GET, HEAD"}});
    if (state.credentials && !state.credentials->accepts(request)) {
        if (state.credentials->password.isEmpty())
            return error(403, "a valid ?token= is required");
        return error(401, "credentials required",
                     {{"WWW-Authenticate", "Basic realm=\"MJPEG Kiosk\", charset=\"UTF-8\""}});
    }

    if (request.path == "/" || request.path == "/index.html")
        return reply(request, 200, "text/html; charset=utf-8", m_indexHtml, Http::noCacheHeaders());

    if (request.path == "/status") {
        ServerStatus status = state.status ? *state.status : ServerStatus();
        status.streaming = state.streaming;
        return reply(request, 200, "application/json", status.toJson(), Http::noCacheHeaders());
    }

    if (request.path == "/metrics") {
        ServerStatus status = state.status ? *state.status : ServerStatus();
        status.streaming = state.streaming;
        return reply(request, 200, Metrics::contentType(),
                     Metrics::prometheusText(status, QDateTime::currentMSecsSinceEpoch()),
                     Http::noCacheHeaders());
    }

    if (!state.streaming)
        return error(503, "streaming is switched off on the kiosk", {{"Retry-After", "5"}});
    if (request.path == "/snapshot")
        return snapshot(request, state);
    if (state.latest.isNull())
        return error(503, "no frame captured yet", {{"Retry-After", "1"}});

    // /stream
    double maxFps = 0;
    if (const auto fps = request.queryValue("fps")) {
        bool ok = false;
        maxFps = fps->toDouble(&ok);
        if (!ok || !(maxFps > 0) || maxFps > kMaxFpsCap)
            return error(400, "fps must be a number above 0 and at most 1000");
    }
    HttpResponse response;
    response.status = 200;
    HttpHeaders headers = Http::noCacheHeaders();
    headers.prepend({"Content-Type", Multipart::contentType()});
    // Tells nginx and similar proxies not to buffer an endless response.
    headers.append(qMakePair(QByteArray("X-Accel-Buffering"), QByteArray("no")));
    response.head = Http::responseHead(200, headers, -1, false);
    response.startsStream = request.method == "GET";
    response.maxFps = maxFps;
    return response;
}
