#pragma once

#include "capture/cameracontrols.h"
#include "httprequest.h"
#include "httpresponse.h"
#include "multipart.h"
#include "profileset.h"
#include "serverstatus.h"

#include <QByteArray>
#include <QHostAddress>

#include <memory>

// What to send for one request. The body is a shared array (a snapshot is the frame's own JPEG
// array), so answering costs no copy.
// What viewers must present: HTTP Basic credentials when a password is set, or the access token
// as ?token= (for <img> embedding, where no password can be typed) when a token is set.
struct Credentials
{
    QByteArray user;
    QByteArray password;
    QByteArray token;
    bool required() const { return !password.isEmpty() || !token.isEmpty(); }
    // Constant time in the length of the secrets, so timing does not reveal how much matched.
    bool accepts(const HttpRequest &request) const;
};

struct HttpResponse
{
    int status = 200;
    QByteArray head;
    QByteArray body;
    bool keepAlive = false;
    // /stream: after the head, send parts; maxFps 0 means as fast as frames come.
    bool startsStream = false;
    double maxFps = 0;
    // /stream?viewer=: the viewer's own label for its connection, shown in /status, so a page can
    // find its own stream among the others (the freeze detector of the viewer page).
    QByteArray viewerLabel;
    // /snapshot with no frame captured after the request yet: nothing to send now. The request
    // is to be handled again when a frame captured after this time (wall clock, µs) is there.
    qint64 waitsForFrameAfterUs = -1;
    bool waitsForFrame() const { return waitsForFrameAfterUs >= 0; }
    // POST /controls, checked and admitted: nothing to send until the source has applied these
    // (on its thread) and the pool hands over the answer (RequestHandler::controlsAnswer()).
    bool setsControls = false;
    ControlValues controlValues;
    QString controlsBy; // who asked, for the log: address and user
};

// Routes a parsed request to its answer. Pure: the same inputs give the same response, on any
// thread, which makes the whole request-to-response path testable and fuzzable without sockets.
class RequestHandler
{
public:
    struct State
    {
        // The camera asked for is served: the server's global switch and its own are on.
        bool streaming = true;
        QByteArray camera; // its name ("" for a server without cameras)
        // The newest frame of the profile the request gets (`profile`).
        StreamFrame latest;
        std::shared_ptr<const ServerStatus> status;
        // Viewer credentials; an empty password means no authentication.
        std::shared_ptr<const Credentials> credentials;
        // /snapshot (without ?cached=1) answers with a frame captured after this time (wall
        // clock, µs: when the request came), and asks to wait for one (waitsForFrame()) while
        // `latest` is older; -1: the newest frame will do (there is no encoder to wake).
        qint64 freshAfterUs = -1;
        // The wait is over without a fresh frame: 503, as when there is no frame at all.
        bool freshWaitExpired = false;
        // The source's camera controls as last published; null: none published yet.
        std::shared_ptr<const CameraControls> controls = {};
        // Where controls may be changed from when no credentials are set (--allow-control).
        QList<QPair<QHostAddress, int>> controlNetworks = {};
        // What /stream and /snapshot get (X-Frame-Size, X-Quality): the full size unless the
        // pool picked a profile for the request's ?width=, ?height=, ?quality=.
        ProfileSet::Choice profile = {};
        // What a 400 for a bad width or quality says is allowed.
        QByteArray profilesAllowed = {};
        // Every camera's figures, in order (/metrics); empty: `status` alone.
        QList<std::shared_ptr<const ServerStatus>> allStatus = {};
    };

    // allowOrigin: the Access-Control-Allow-Origin of every answer (CORS); empty for none.
    explicit RequestHandler(QByteArray indexHtml, QByteArray allowOrigin = {});

    HttpResponse handle(const HttpRequest &request, const State &state) const;
    // The answer to a request that could not be parsed or admitted.
    static HttpResponse error(int status, const QByteArray &reason,
                              const HttpHeaders &extraHeaders = {});
    // 401 or 403 when `credentials` are required and `request` lacks them.
    static std::optional<HttpResponse> unauthorized(const HttpRequest &request,
                                                    const Credentials *credentials);
    // 301 to `location` (relative to the request's path).
    static HttpResponse redirect(const QByteArray &location);
    // The answer to an admitted POST /controls, once the source has applied it: the values in
    // force, and 409 with the camera's reason when it refused some.
    static HttpResponse controlsAnswer(const HttpRequest &request, const CameraControls &controls,
                                       const QString &error);
    // Whether this request may change camera controls: credentials are set (and were given,
    // or the request would not get this far), or it comes from an --allow-control network.
    static bool controlsAllowed(const HttpRequest &request, const State &state);
    // The profile a /stream or /snapshot request (the ?action= forms too) asks for; nothing for
    // other requests. A bad value asks for the full size here (handle() answers it 400).
    static std::optional<ProfileRequest> profileWanted(const HttpRequest &request);
    // Largest POST /controls body.
    static constexpr int kMaxControlsBody = 4096;

private:
    HttpResponse route(const HttpRequest &request, const State &state) const;
    static HttpResponse snapshot(const HttpRequest &request, const State &state);
    static HttpResponse stream(const HttpRequest &request, const State &state);
    // A 400 for a bad ?width=, ?height= or ?quality=; nothing when they are fine.
    static std::optional<HttpResponse> badProfile(const HttpRequest &request, const State &state);
    // X-Frame-Size (`size`) and X-Quality: what the viewer gets.
    static void addProfileHeaders(HttpHeaders *headers, const State &state, QSize size);
    static HttpResponse controls(const HttpRequest &request, const State &state);
    static HttpResponse setControls(const HttpRequest &request, const State &state);

    QByteArray m_indexHtml;
    QByteArray m_allowOrigin;
};
