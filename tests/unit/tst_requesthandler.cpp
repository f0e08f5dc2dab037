#include "http/requesthandler.h"
#include "multipartreader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using TestSupport::ResponseHead;

namespace {
const QByteArray kIndex = "<html>viewer</html>";

HttpRequest request(const QByteArray &text)
{
    HttpRequestParser parser;
    parser.feed(text);
    if (parser.state() != HttpRequestParser::State::Complete)
        qFatal("test request does not parse: %s", text.constData());
    return parser.request();
}

HttpRequest get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return request("GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extraHeaders + "\r\n");
}

ResponseHead headOf(const HttpResponse &response)
{
    QByteArray bytes = response.head;
    ResponseHead head;
    QString error;
    if (!TestSupport::takeResponseHead(bytes, &head, &error) || !error.isEmpty()
        || !bytes.isEmpty())
        qFatal("malformed response head: %s %s", qPrintable(error), response.head.constData());
    return head;
}

StreamFrame someFrame()
{
    QByteArray jpeg("\xff\xd8jpegbytes\xff\xd9");
    return StreamFrame::from(Frame(1, 1700000000123456, jpeg, QSize(32, 24), true));
}

RequestHandler::State liveState()
{
    RequestHandler::State state;
    state.streaming = true;
    state.latest = someFrame();
    auto status = std::make_shared<ServerStatus>();
    status->source.width = 32;
    status->source.height = 24;
    state.status = status;
    return state;
}

void verifyNoCache(const ResponseHead &head)
{
    QVERIFY(head.header("Cache-Control").contains("no-store"));
    QCOMPARE(head.header("Pragma"), QByteArray("no-cache"));
}
} // namespace

class TestRequestHandler : public QObject
{
    Q_OBJECT

private slots:
    void index();
    void status();
    void snapshot();
    void stream();
    void headHasNoBody_data();
    void headHasNoBody();
    void notFound();
    void methodNotAllowed();
    void streamingOff();
    void noFrameYet();
    void streamWaitsForTheFirstFrameOfAnIdleEncoder();
    void credentials_data();
    void credentials();
    void fpsValidation_data();
    void fpsValidation();
    void errorResponses();
    void keepAliveFollowsRequest();
    void freshSnapshotWaitsForANewerFrame();
    void cachedSnapshotAnswersAtOnce();
    void actionUrlsAnswerAsTheirPaths_data();
    void actionUrlsAnswerAsTheirPaths();
    void unknownActionIsNotFound();
};

void TestRequestHandler::index()
{
    const RequestHandler handler(kIndex);
    for (const QByteArray path : {"/", "/index.html"}) {
        const HttpResponse r = handler.handle(get(path), liveState());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, kIndex);
        QVERIFY(!r.startsStream);
        const ResponseHead head = headOf(r);
        QCOMPARE(head.statusLine, QByteArray("HTTP/1.1 200 OK"));
        QCOMPARE(head.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
        QCOMPARE(head.contentLength(), kIndex.size());
        QCOMPARE(head.header("Connection"), QByteArray("keep-alive"));
        verifyNoCache(head);
    }
}

void TestRequestHandler::status()
{
    const RequestHandler handler(kIndex);
    const HttpResponse r = handler.handle(get("/status"), liveState());
    QCOMPARE(r.status, 200);
    const ResponseHead head = headOf(r);
    QCOMPARE(head.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(head.contentLength(), r.body.size());
    verifyNoCache(head);
    const QJsonObject json = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(json.value("streaming").toBool(), true);
    QCOMPARE(json.value("source").toObject().value("width").toInt(), 32);
}

void TestRequestHandler::snapshot()
{
    const RequestHandler handler(kIndex);
    const RequestHandler::State state = liveState();
    const HttpResponse r = handler.handle(get("/snapshot"), state);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, state.latest.frame.jpeg());
    QVERIFY(r.body.isSharedWith(state.latest.frame.jpeg())); // the frame's own bytes, no copy
    const ResponseHead head = headOf(r);
    QCOMPARE(head.header("Content-Type"), QByteArray("image/jpeg"));
    QCOMPARE(head.contentLength(), r.body.size());
    QCOMPARE(head.header("X-Timestamp"), QByteArray("1700000000.123456"));
    verifyNoCache(head);
}

void TestRequestHandler::stream()
{
    const RequestHandler handler(kIndex);
    const HttpResponse r = handler.handle(get("/stream"), liveState());
    QCOMPARE(r.status, 200);
    QVERIFY(r.startsStream);
    QCOMPARE(r.maxFps, 0.0);
    QVERIFY(r.body.isEmpty());
    const ResponseHead head = headOf(r);
    QCOMPARE(head.header("Content-Type"),
             QByteArray("multipart/x-mixed-replace;boundary=mjpegkiosk"));
    QVERIFY(!head.hasHeader("Content-Length")); // endless
    QCOMPARE(head.header("Connection"), QByteArray("close"));
    QCOMPARE(head.header("X-Accel-Buffering"), QByteArray("no"));
    verifyNoCache(head);
}

void TestRequestHandler::headHasNoBody_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("streaming");
    QTest::addColumn<int>("status");
    QTest::newRow("/") << QByteArray("/") << true << 200;
    QTest::newRow("/status") << QByteArray("/status") << true << 200;
    QTest::newRow("/snapshot") << QByteArray("/snapshot") << true << 200;
    QTest::newRow("/stream") << QByteArray("/stream") << true << 200;
    QTest::newRow("404") << QByteArray("/nope") << true << 404;
    QTest::newRow("503 stream") << QByteArray("/stream") << false << 503;
    QTest::newRow("503 snapshot") << QByteArray("/snapshot") << false << 503;
    QTest::newRow("400 fps") << QByteArray("/stream?fps=0") << true << 400;
}

void TestRequestHandler::headHasNoBody()
{
    QFETCH(QByteArray, target);
    QFETCH(bool, streaming);
    QFETCH(int, status);
    const RequestHandler handler(kIndex);
    RequestHandler::State state = liveState();
    state.streaming = streaming;
    const HttpResponse asGet = handler.handle(get(target), state);
    const HttpResponse asHead
        = handler.handle(request("HEAD " + target + " HTTP/1.1\r\n\r\n"), state);
    QCOMPARE(asHead.status, status);
    QCOMPARE(asGet.status, status);
    QVERIFY2(asHead.body.isEmpty(), asHead.body.constData());
    QVERIFY(!asHead.startsStream);
    // Same head as GET would get, Content-Length included.
    QCOMPARE(headOf(asHead).contentLength(), headOf(asGet).contentLength());
    if (status == 200 && target != "/stream")
        QCOMPARE(headOf(asHead).contentLength(), asGet.body.size());
}

void TestRequestHandler::notFound()
{
    const RequestHandler handler(kIndex);
    for (const QByteArray path : {"/streams", "/stream/", "/favicon.ico", "/STATUS", "/index"}) {
        const HttpResponse r = handler.handle(get(path), liveState());
        QCOMPARE(r.status, 404);
        QCOMPARE(headOf(r).statusLine, QByteArray("HTTP/1.1 404 Not Found"));
        QCOMPARE(headOf(r).header("Content-Type"), QByteArray("text/plain; charset=utf-8"));
        QVERIFY(r.body.startsWith("404 Not Found"));
        QCOMPARE(headOf(r).contentLength(), r.body.size());
        QVERIFY(!r.startsStream);
    }
}

void TestRequestHandler::methodNotAllowed()
{
    const RequestHandler handler(kIndex);
    for (const QByteArray method : {"POST", "PUT", "DELETE", "OPTIONS", "BREW"}) {
        const HttpResponse r
            = handler.handle(request(method + " /stream HTTP/1.1\r\n\r\n"), liveState());
        QCOMPARE(r.status, 405);
        QCOMPARE(headOf(r).header("Allow"), QByteArray("GET, HEAD"));
        QVERIFY(!r.startsStream);
    }
}

void TestRequestHandler::streamingOff()
{
    const RequestHandler handler(kIndex);
    RequestHandler::State state = liveState();
    state.streaming = false;
    for (const QByteArray path : {"/stream", "/snapshot"}) {
        const HttpResponse r = handler.handle(get(path), state);
        QCOMPARE(r.status, 503);
        QVERIFY(!r.startsStream);
        QVERIFY(headOf(r).hasHeader("Retry-After"));
        QCOMPARE(headOf(r).header("Connection"), QByteArray("close"));
    }
    // The page and the figures still answer, and say streaming is off.
    QCOMPARE(handler.handle(get("/"), state).status, 200);
    const HttpResponse status = handler.handle(get("/status"), state);
    QCOMPARE(status.status, 200);
    QCOMPARE(QJsonDocument::fromJson(status.body).object().value("streaming").toBool(true), false);
}

void TestRequestHandler::noFrameYet()
{
    const RequestHandler handler(kIndex);
    RequestHandler::State state = liveState();
    state.latest = StreamFrame();
    QCOMPARE(handler.handle(get("/stream"), state).status, 503);
    QCOMPARE(handler.handle(get("/snapshot"), state).status, 503);
    QCOMPARE(handler.handle(get("/status"), state).status, 200);
    QCOMPARE(handler.handle(get("/"), state).status, 200);
}

// With an encoder to wake (a fresh frame can be asked for), a viewer arriving before any frame
// waits for the first one instead of a 503; once the wait is over it gets the 503.
void TestRequestHandler::streamWaitsForTheFirstFrameOfAnIdleEncoder()
{
    const RequestHandler handler(kIndex);
    RequestHandler::State state = liveState();
    state.latest = StreamFrame();
    state.freshAfterUs = 1;
    const HttpResponse waiting = handler.handle(get("/stream"), state);
    QVERIFY(waiting.waitsForFrame());
    QCOMPARE(waiting.waitsForFrameAfterUs, 0);
    QCOMPARE(handler.handle(get("/stream?fps=0"), state).status, 400); // checked before waiting
    state.freshWaitExpired = true;
    QCOMPARE(handler.handle(get("/stream"), state).status, 503);
    state.freshWaitExpired = false;
    state.latest = someFrame();
    QVERIFY(handler.handle(get("/stream"), state).startsStream);
}

void TestRequestHandler::credentials_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("none") << QByteArray() << 401;
    QTest::newRow("right") << "Basic " + QByteArray("viewer:pa55").toBase64() << 200;
    QTest::newRow("wrong password") << "Basic " + QByteArray("viewer:pa56").toBase64() << 401;
    QTest::newRow("password prefix") << "Basic " + QByteArray("viewer:pa5").toBase64() << 401;
    QTest::newRow("password longer") << "Basic " + QByteArray("viewer:pa555").toBase64() << 401;
    QTest::newRow("wrong user") << "Basic " + QByteArray("admin:pa55").toBase64() << 401;
    QTest::newRow("malformed") << QByteArray("Basic ***") << 401;
}

void TestRequestHandler::credentials()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    const RequestHandler handler(kIndex);
    RequestHandler::State state = liveState();
    state.credentials = std::make_shared<const Credentials>(Credentials{"viewer", "pa55", {}});
    const QByteArray header
        = authorization.isEmpty() ? QByteArray() : "Authorization: " + authorization + "\r\n";
    for (const QByteArray path : {"/", "/stream", "/snapshot", "/status"}) {
        const HttpResponse r = handler.handle(get(path, header), state);
        QCOMPARE(r.status, status);
        if (status == 401) {
            QCOMPARE(headOf(r).header("WWW-Authenticate"),
                     QByteArray("Basic realm=\"MJPEG Kiosk\", charset=\"UTF-8\""));
            QVERIFY(!r.startsStream);
            QVERIFY(!r.body.contains("pa55"));
        }
    }
    // Unknown paths stay 404 either way; an empty password means no authentication.
    QCOMPARE(handler.handle(get("/nope", header), state).status, 404);
    state.credentials = std::make_shared<const Credentials>(Credentials{"viewer", "", {}});
    QCOMPARE(handler.handle(get("/status", header), state).status, 200);
}

void TestRequestHandler::fpsValidation_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<double>("maxFps");
    QTest::newRow("integer") << QByteArray("fps=5") << 200 << 5.0;
    QTest::newRow("fraction") << QByteArray("fps=0.5") << 200 << 0.5;
    QTest::newRow("max") << QByteArray("fps=1000") << 200 << 1000.0;
    QTest::newRow("other params") << QByteArray("x=1&fps=2") << 200 << 2.0;
    QTest::newRow("zero") << QByteArray("fps=0") << 400 << 0.0;
    QTest::newRow("negative") << QByteArray("fps=-1") << 400 << 0.0;
    QTest::newRow("too high") << QByteArray("fps=1001") << 400 << 0.0;
    QTest::newRow("word") << QByteArray("fps=fast") << 400 << 0.0;
    QTest::newRow("empty") << QByteArray("fps=") << 400 << 0.0;
    QTest::newRow("nan") << QByteArray("fps=nan") << 400 << 0.0;
    QTest::newRow("inf") << QByteArray("fps=inf") << 400 << 0.0;
}

void TestRequestHandler::fpsValidation()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(double, maxFps);
    const RequestHandler handler(kIndex);
    const HttpResponse r = handler.handle(get("/stream?" + query), liveState());
    QCOMPARE(r.status, status);
    QCOMPARE(r.startsStream, status == 200);
    if (status == 200)
        QCOMPARE(r.maxFps, maxFps);
    else
        QVERIFY(r.body.contains("fps"));
}

void TestRequestHandler::errorResponses()
{
    for (int status : {400, 401, 404, 405, 413, 431, 501, 503, 505}) {
        const HttpResponse r = RequestHandler::error(status, "why");
        const ResponseHead head = headOf(r);
        QCOMPARE(head.status, status);
        QCOMPARE(head.statusLine,
                 "HTTP/1.1 " + QByteArray::number(status) + ' ' + Http::reasonPhrase(status));
        QVERIFY(Http::reasonPhrase(status) != "Unknown");
        QCOMPARE(head.header("Connection"), QByteArray("close")); // the connection ends after
        QCOMPARE(head.contentLength(), r.body.size());
        QVERIFY(r.body.endsWith("why\n"));
        QVERIFY(!r.keepAlive);
    }
}

void TestRequestHandler::keepAliveFollowsRequest()
{
    const RequestHandler handler(kIndex);
    const HttpResponse close = handler.handle(get("/status", "Connection: close\r\n"), liveState());
    QVERIFY(!close.keepAlive);
    QCOMPARE(headOf(close).header("Connection"), QByteArray("close"));
    const HttpResponse http10
        = handler.handle(request("GET /status HTTP/1.0\r\n\r\n"), liveState());
    QVERIFY(!http10.keepAlive);
    QVERIFY(handler.handle(get("/status"), liveState()).keepAlive);
}

void TestRequestHandler::freshSnapshotWaitsForANewerFrame()
{
    const qint64 captured = someFrame().frame.captureTimeUs();
    for (const QByteArray &origin : {QByteArray(), QByteArray("*")}) {
        const RequestHandler handler(kIndex, origin);
        RequestHandler::State state = liveState();
        // The request came as (or after) the newest frame was captured: it waits, for GET and
        // HEAD alike, and nothing is to be sent meanwhile.
        state.freshAfterUs = captured;
        for (const char *method : {"GET", "HEAD"}) {
            const HttpResponse r = handler.handle(
                request(QByteArray(method) + " /snapshot HTTP/1.1\r\nHost: t\r\n\r\n"), state);
            QVERIFY(r.waitsForFrame());
            QCOMPARE(r.waitsForFrameAfterUs, captured);
            QVERIFY(r.head.isEmpty() && r.body.isEmpty());
        }
        // A frame captured after the request answers it.
        state.freshAfterUs = captured - 1;
        const HttpResponse fresh = handler.handle(get("/snapshot"), state);
        QCOMPARE(fresh.status, 200);
        QCOMPARE(fresh.body, state.latest.frame.jpeg());
        QCOMPARE(headOf(fresh).header("X-Timestamp"), QByteArray("1700000000.123456"));
        // No frame yet: waits as well.
        state.freshAfterUs = captured;
        state.latest = StreamFrame();
        QVERIFY(handler.handle(get("/snapshot"), state).waitsForFrame());
        // The wait is over: 503 as for "no frame yet", with Retry-After.
        state.freshWaitExpired = true;
        const HttpResponse expired = handler.handle(get("/snapshot"), state);
        QCOMPARE(expired.status, 503);
        QVERIFY(headOf(expired).hasHeader("Retry-After"));
        QVERIFY(expired.body.contains("since the request"));
        // Streaming off: at once.
        state = liveState();
        state.freshAfterUs = captured;
        state.streaming = false;
        QCOMPARE(handler.handle(get("/snapshot"), state).status, 503);
        // The stream never waits.
        state.streaming = true;
        QCOMPARE(handler.handle(get("/stream"), state).status, 200);
    }
}

void TestRequestHandler::cachedSnapshotAnswersAtOnce()
{
    const RequestHandler handler(kIndex);
    RequestHandler::State state = liveState();
    state.freshAfterUs = someFrame().frame.captureTimeUs() + 1000000; // frame a second old
    const HttpResponse r = handler.handle(get("/snapshot?cached=1"), state);
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.isSharedWith(state.latest.frame.jpeg()));
    QCOMPARE(headOf(r).header("X-Timestamp"), QByteArray("1700000000.123456"));
    QVERIFY(handler.handle(get("/snapshot?cached=0"), state).waitsForFrame());
    const HttpResponse bad = handler.handle(get("/snapshot?cached=yes"), state);
    QCOMPARE(bad.status, 400);
    QVERIFY(bad.body.contains("cached"));
    state.latest = StreamFrame();
    QCOMPARE(handler.handle(get("/snapshot?cached=1"), state).status, 503);
}

void TestRequestHandler::actionUrlsAnswerAsTheirPaths_data()
{
    QTest::addColumn<QByteArray>("alias");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("stream") << QByteArray("/?action=stream") << QByteArray("/stream");
    QTest::newRow("stream fps") << QByteArray("/?action=stream&fps=5")
                                << QByteArray("/stream?fps=5");
    QTest::newRow("stream bad fps")
        << QByteArray("/?fps=0&action=stream") << QByteArray("/stream?fps=0");
    QTest::newRow("snapshot") << QByteArray("/?action=snapshot") << QByteArray("/snapshot");
    QTest::newRow("snapshot cached")
        << QByteArray("/?action=snapshot&cached=1") << QByteArray("/snapshot?cached=1");
    QTest::newRow("snapshot token")
        << QByteArray("/?action=snapshot&token=s3cret") << QByteArray("/snapshot?token=s3cret");
    QTest::newRow("snapshot bad token")
        << QByteArray("/?action=snapshot&token=no") << QByteArray("/snapshot?token=no");
}

// The same answer, byte for byte, in every state: fresh waits, streaming off, credentials.
void TestRequestHandler::actionUrlsAnswerAsTheirPaths()
{
    QFETCH(QByteArray, alias);
    QFETCH(QByteArray, path);
    const RequestHandler handler(kIndex);
    RequestHandler::State live = liveState();
    RequestHandler::State waiting = liveState();
    waiting.freshAfterUs = someFrame().frame.captureTimeUs();
    RequestHandler::State off = liveState();
    off.streaming = false;
    RequestHandler::State locked = liveState();
    auto credentials = std::make_shared<Credentials>();
    credentials->token = "s3cret";
    locked.credentials = credentials;
    for (const RequestHandler::State &state : {live, waiting, off, locked}) {
        const HttpResponse a = handler.handle(get(alias), state);
        const HttpResponse b = handler.handle(get(path), state);
        QCOMPARE(a.status, b.status);
        QCOMPARE(a.head, b.head);
        QCOMPARE(a.body, b.body);
        QCOMPARE(a.startsStream, b.startsStream);
        QCOMPARE(a.maxFps, b.maxFps);
        QCOMPARE(a.waitsForFrameAfterUs, b.waitsForFrameAfterUs);
    }
}

void TestRequestHandler::unknownActionIsNotFound()
{
    const RequestHandler handler(kIndex);
    const HttpResponse r = handler.handle(get("/?action=stream_0"), liveState());
    QCOMPARE(r.status, 404);
    QVERIFY(r.body.contains("action=stream_0"));
    QVERIFY(r.body.contains("stream, snapshot"));
    // Without an action, / stays the viewer page; other paths keep their own meaning.
    QCOMPARE(handler.handle(get("/?x=1"), liveState()).body, kIndex);
    QCOMPARE(handler.handle(get("/status?action=stream"), liveState()).status, 200);
}

QTEST_GUILESS_MAIN(TestRequestHandler)
#include "tst_requesthandler.moc"
