// The real server in-process: a Pipeline (test pattern → TurboJPEG → StreamServer on port 0)
// with real sockets on 127.0.0.1. Asserts what a viewer observes; waits with generous timeouts
// and compares rates only with the server's own counters, never with the clock.

#include "pipeline/pipeline.h"
#include "testclient.h"

#include <QDateTime>
#include <QImage>
#include <QJsonArray>
#include <QSet>
#include <QTcpServer>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace TestSupport;

namespace {
constexpr QSize kSize(320, 240);

// A viewer that asks for /stream and then never reads: a raw socket with the smallest receive
// buffer, so the server's send buffer fills quickly.
class StalledViewer
{
public:
    explicit StalledViewer(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int small = 4096;
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        // A blocking read that waits forever would hang the test instead of failing it.
        const timeval timeout{kWaitMs / 1000, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            return;
        const QByteArray request = "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        if (::send(m_fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL)
            != request.size())
            return;
        sockaddr_in local{};
        socklen_t length = sizeof local;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&local), &length);
        m_localPort = ntohs(local.sin_port);
    }
    ~StalledViewer() { closeNow(); }
    StalledViewer(const StalledViewer &) = delete;
    StalledViewer &operator=(const StalledViewer &) = delete;

    quint16 localPort() const { return m_localPort; }
    // Reads at most `bytes` (blocking until some arrive).
    QByteArray read(int bytes)
    {
        QByteArray data(bytes, Qt::Uninitialized);
        const ssize_t n = ::recv(m_fd, data.data(), size_t(bytes), 0);
        return n > 0 ? data.left(n) : QByteArray();
    }
    // Closing with unread data makes the kernel send a reset: the harshest hang-up there is.
    void closeNow()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    quint16 m_localPort = 0;
};

QJsonObject clientOnPort(const QJsonObject &status, quint16 port)
{
    for (const QJsonValue &c : status.value("clients").toArray()) {
        if (c.toObject().value("port").toInt() == port)
            return c.toObject();
    }
    return {};
}

QSet<int> clientPorts(const QJsonObject &status)
{
    QSet<int> ports;
    for (const QJsonValue &c : status.value("clients").toArray())
        ports.insert(c.toObject().value("port").toInt());
    return ports;
}

double output(const QJsonObject &status, const char *name)
{
    return status.value("output").toObject().value(QLatin1String(name)).toDouble(-1);
}

// Reads responses off one keep-alive connection: heads and bodies by Content-Length (none
// after a HEAD).
struct ResponseStream
{
    QByteArray buffer;
    bool take(bool isHead, ResponseHead *head, QByteArray *body, QString *error)
    {
        QByteArray copy = buffer;
        if (!takeResponseHead(copy, head, error))
            return false;
        const qint64 length = isHead ? 0 : head->contentLength();
        if (length < 0) {
            *error = QStringLiteral("no Content-Length on a keep-alive response");
            return true;
        }
        if (copy.size() < length)
            return false;
        *body = copy.left(length);
        buffer = copy.mid(length);
        return true;
    }
};
} // namespace

class TestStreamServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void routesOverSocket_data();
    void routesOverSocket();
    void oversizedHeadOverSocket();
    void credentialsOverSocket();
    void streamHeadAndFraming();
    void twoViewers();
    void stalledViewerDoesNotSlowOthers();
    void disconnectMidFrame();
    void snapshotDecodes();
    void statusFollowsViewers();
    void oneEncodePerFrame();
    void fpsCap();
    void keepAliveAndPipelining();
    void pipelinedRequestThenStream();
    void streamingSwitchedOff();
    void clientLimit();
    void requestTimeout();
    void noFrameYet();
    void credentialsSurvivePortChange();
    void portChangeToBusyPortKeepsOldPort();

private:
    bool startPipeline(const std::function<void(PipelineConfig &)> &adjust = {});

    std::unique_ptr<Pipeline> m_pipeline;
    quint16 m_port = 0;
};

bool TestStreamServer::startPipeline(const std::function<void(PipelineConfig &)> &adjust)
{
    m_pipeline.reset();
    PipelineConfig config;
    config.source = QStringLiteral("test");
    config.resolution = kSize;
    config.fps = 30;
    config.quality = 80;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.server.sendTimeoutMs = 10 * 60 * 1000; // a stalled test viewer must stay listed
    if (adjust)
        adjust(config);
    m_pipeline = std::make_unique<Pipeline>();
    if (!m_pipeline->start(config)) {
        qWarning() << "pipeline did not start:" << m_pipeline->errorString();
        return false;
    }
    m_port = quint16(m_pipeline->server()->port());
    // Serving starts with the first frames: every network thread must have one before a
    // test may expect /stream or /snapshot to answer 200. With nobody watching the encoder
    // idles after its first frame; each (fresh) snapshot has it make another.
    return QTest::qWaitFor(
        [this] {
            get(m_port, "/snapshot");
            return output(status(m_port), "frames_published") >= 3;
        },
        kWaitMs);
}

void TestStreamServer::init()
{
    QVERIFY(startPipeline());
    QVERIFY(m_port != 0);
}

void TestStreamServer::cleanup()
{
    m_pipeline.reset();
}

void TestStreamServer::routesOverSocket_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    const QByteArray end = " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    QTest::newRow("/") << "GET /" + end << 200 << QByteArray("text/html; charset=utf-8");
    QTest::newRow("/index.html") << "GET /index.html" + end << 200
                                 << QByteArray("text/html; charset=utf-8");
    QTest::newRow("/status") << "GET /status" + end << 200 << QByteArray("application/json");
    QTest::newRow("/snapshot") << "GET /snapshot" + end << 200 << QByteArray("image/jpeg");
    QTest::newRow("HEAD /snapshot") << "HEAD /snapshot" + end << 200 << QByteArray("image/jpeg");
    QTest::newRow("HEAD /status") << "HEAD /status" + end << 200 << QByteArray("application/json");
    QTest::newRow("HEAD /stream") << "HEAD /stream" + end << 200
                                  << QByteArray("multipart/x-mixed-replace;boundary=mjpegkiosk");
    QTest::newRow("404") << "GET /nothing" + end << 404 << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("HEAD 404") << "HEAD /nothing" + end << 404
                              << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("405") << "POST /stream" + end << 405 << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("405 DELETE") << "DELETE /status" + end << 405
                                << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("400 fps") << "GET /stream?fps=0" + end << 400
                             << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("400 viewer label")
        << "GET /stream?viewer=a%20b" + end << 400 << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("400 garbage") << QByteArray("HELLO\r\n\r\n") << 400
                                 << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("400 bad method")
        << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400 << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("400 bad header") << QByteArray("GET / HTTP/1.1\r\nNoColon\r\n\r\n") << 400
                                    << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("400 dot-dot") << "GET /../status" + end << 400
                                 << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("400 NUL") << "GET /a%00" + end << 400 << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("505") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505
                         << QByteArray("text/plain; charset=utf-8");
    QTest::newRow("absolute-form")
        << "GET http://127.0.0.1/status" + end << 200 << QByteArray("application/json");
}

void TestStreamServer::routesOverSocket()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    const HttpResult r = exchange(m_port, request);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.head.status, status);
    QCOMPARE(r.head.header("Content-Type"), contentType);
    QCOMPARE(r.head.header("Server"), QByteArray("mjpeg-kiosk"));
    QVERIFY(r.head.header("Cache-Control").contains("no-store"));
    if (status == 200 && request.contains(" /stream "))
        QVERIFY(!r.head.hasHeader("Content-Length")); // endless; HEAD says the same
    else
        QVERIFY(r.head.contentLength() > 0);
    if (request.startsWith("HEAD "))
        QVERIFY2(r.body.isEmpty(), r.body.constData());
    else
        QCOMPARE(r.body.size(), r.head.contentLength());
    if (status == 405)
        QCOMPARE(r.head.header("Allow"), QByteArray("GET, HEAD"));
    if (status >= 400)
        QCOMPARE(r.head.header("Connection"), QByteArray("close"));
}

void TestStreamServer::oversizedHeadOverSocket()
{
    // Head limit 8 KiB by default: bigger heads are refused with 431, however big they are
    // (40 KiB is more than the server ever buffers), and so are 100 headers.
    for (const int size : {10000, 40000}) {
        const HttpResult big
            = exchange(m_port, "GET / HTTP/1.1\r\nX-Big: " + QByteArray(size, 'a') + "\r\n\r\n");
        QVERIFY2(big.error.isEmpty(), qPrintable(big.error));
        QCOMPARE(big.head.status, 431);
    }
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 100; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    const HttpResult tooMany = exchange(m_port, many + "\r\n");
    QVERIFY2(tooMany.error.isEmpty(), qPrintable(tooMany.error));
    QCOMPARE(tooMany.head.status, 431);
    // The server is fine afterwards.
    QCOMPARE(get(m_port, "/status").head.status, 200);
}

void TestStreamServer::credentialsOverSocket()
{
    m_pipeline->server()->setCredentials("viewer", "s3cret");
    QTRY_COMPARE_WITH_TIMEOUT(get(m_port, "/status").head.status, 401, kWaitMs);
    const HttpResult denied = get(m_port, "/stream");
    QCOMPARE(denied.head.status, 401);
    QCOMPARE(denied.head.header("WWW-Authenticate"),
             QByteArray("Basic realm=\"MJPEG Kiosk\", charset=\"UTF-8\""));
    const QByteArray wrong
        = "Authorization: Basic " + QByteArray("viewer:secret").toBase64() + "\r\n";
    QCOMPARE(get(m_port, "/snapshot", wrong).head.status, 401);
    const QByteArray right
        = "Authorization: Basic " + QByteArray("viewer:s3cret").toBase64() + "\r\n";
    QCOMPARE(get(m_port, "/snapshot", right).head.status, 200);
    QCOMPARE(get(m_port, "/status", right).head.status, 200);

    StreamClient viewer;
    viewer.open(m_port, "/stream", right);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 2, kWaitMs);
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));

    m_pipeline->server()->setCredentials("viewer", QByteArray());
    QTRY_COMPARE_WITH_TIMEOUT(get(m_port, "/status").head.status, 200, kWaitMs);
}

void TestStreamServer::streamHeadAndFraming()
{
    StreamClient viewer;
    viewer.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 10 || !viewer.error().isEmpty(), kWaitMs);
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));

    const ResponseHead &head = viewer.head();
    QCOMPARE(head.statusLine, QByteArray("HTTP/1.1 200 OK"));
    // Exactly these headers, in this order.
    const QList<QPair<QByteArray, QByteArray>> expected{
        {"Server", "mjpeg-kiosk"},
        {"Content-Type", "multipart/x-mixed-replace;boundary=mjpegkiosk"},
        {"Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"},
        {"Pragma", "no-cache"},
        {"Expires", "0"},
        {"X-Accel-Buffering", "no"},
        // What this viewer gets (issue 18): the full size at the stream's quality.
        {"X-Frame-Size", "320x240"},
        {"X-Quality", "80"},
        {"Connection", "close"},
    };
    QCOMPARE(head.headers, expected);

    const QList<Part> parts = viewer.takeParts();
    qint64 previous = 0;
    const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    for (const Part &part : parts) {
        QVERIFY(part.timestampUs > previous); // one part per captured frame, in order
        QVERIFY(qAbs(part.timestampUs - nowUs) < 3600LL * 1000000); // wall clock
        previous = part.timestampUs;
    }
    for (const Part &part : {parts.first(), parts.last()}) {
        QImage image;
        QVERIFY(image.loadFromData(part.jpeg, "JPEG"));
        QCOMPARE(image.size(), kSize);
    }
}

void TestStreamServer::twoViewers()
{
    StreamClient a;
    StreamClient b;
    a.open(m_port);
    b.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(a.frames() >= 10 && b.frames() >= 10, kWaitMs);
    QVERIFY2(a.error().isEmpty(), qPrintable(a.error()));
    QVERIFY2(b.error().isEmpty(), qPrintable(b.error()));
    // Both see the same frames (the same capture times), not copies made for one of them.
    QSet<qint64> stampsA;
    for (const Part &p : a.takeParts())
        stampsA.insert(p.timestampUs);
    int shared = 0;
    for (const Part &p : b.takeParts())
        shared += stampsA.contains(p.timestampUs) ? 1 : 0;
    QVERIFY(shared >= 5);
}

void TestStreamServer::stalledViewerDoesNotSlowOthers()
{
    StalledViewer stalled(m_port);
    QVERIFY(stalled.localPort() != 0);
    StreamClient reader;
    reader.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(reader.frames() >= 5, kWaitMs);

    // The stalled viewer's socket fills up; from then on the server skips frames for it.
    QTRY_VERIFY_WITH_TIMEOUT(
        clientOnPort(status(m_port), stalled.localPort()).value("frames_dropped").toDouble() > 0,
        kWaitMs);

    const QJsonObject before = status(m_port);
    const qsizetype framesBefore = reader.frames();
    QTest::qWait(3000); // a window to count in; nothing is compared with its length
    const QJsonObject after = status(m_port);
    const qsizetype framesRead = reader.frames() - framesBefore;
    const double published = output(after, "frames_published") - output(before, "frames_published");
    qInfo() << "reader got" << framesRead << "frames while the server published" << published;
    QVERIFY(published > 0);
    // The reader keeps the source's rate (the status snapshots may be up to 250 ms stale at
    // either end, hence the margin), and never gets a frame twice.
    QVERIFY2(framesRead >= 0.75 * published,
             qPrintable(QStringLiteral("%1 of %2").arg(framesRead).arg(published)));
    QVERIFY(framesRead <= published + 10);
    const double droppedBefore
        = clientOnPort(before, stalled.localPort()).value("frames_dropped").toDouble();
    const double droppedAfter
        = clientOnPort(after, stalled.localPort()).value("frames_dropped").toDouble();
    QVERIFY2(droppedAfter > droppedBefore,
             qPrintable(QStringLiteral("%1 -> %2").arg(droppedBefore).arg(droppedAfter)));
    QVERIFY2(reader.error().isEmpty(), qPrintable(reader.error()));
    // The stalled viewer holds at most the frame in flight and one waiting: it is sent far
    // fewer frames than the reader.
    QVERIFY(clientOnPort(after, stalled.localPort()).value("frames_sent").toDouble()
            < clientOnPort(after, reader.localPort()).value("frames_sent").toDouble());
}

void TestStreamServer::disconnectMidFrame()
{
    StreamClient other;
    other.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(other.frames() >= 3, kWaitMs);
    {
        // Read the response head and a piece of the first part, then reset the connection.
        StalledViewer leaver(m_port);
        QByteArray got;
        while (got.size() < 600) {
            const QByteArray piece = leaver.read(600 - int(got.size()));
            QVERIFY(!piece.isEmpty());
            got += piece;
        }
        QVERIFY(got.contains("--mjpegkiosk\r\n"));
        QTRY_COMPARE_WITH_TIMEOUT(status(m_port).value("client_count").toInt(), 2, kWaitMs);
        leaver.closeNow();
    }
    QTRY_COMPARE_WITH_TIMEOUT(status(m_port).value("client_count").toInt(), 1, kWaitMs);
    // The other viewer goes on.
    const qsizetype before = other.frames();
    QTRY_VERIFY_WITH_TIMEOUT(other.frames() >= before + 10, kWaitMs);
    QVERIFY2(other.error().isEmpty(), qPrintable(other.error()));

    // A viewer that hangs up politely (FIN, not reset) while frames flow.
    {
        StreamClient polite;
        polite.open(m_port);
        QTRY_VERIFY_WITH_TIMEOUT(polite.frames() >= 1, kWaitMs);
        polite.close();
    }
    other.abort();
    QJsonObject s;
    // Every connection gone (a /status request is a short connection of its own, hence the
    // retries until a snapshot falls between two of them).
    QVERIFY(waitUntil([&] {
        return (s = status(m_port),
                s.value("connections").toInt() == 0 && s.value("client_count").toInt() == 0);
    }));
}

void TestStreamServer::snapshotDecodes()
{
    const HttpResult r = get(m_port, "/snapshot");
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.head.status, 200);
    QImage image;
    QVERIFY(image.loadFromData(r.body, "JPEG"));
    QCOMPARE(image.size(), kSize);
    QVERIFY(QRegularExpression("^\\d{10}\\.\\d{6}$")
                .match(QString::fromLatin1(r.head.header("X-Timestamp")))
                .hasMatch());
}

void TestStreamServer::statusFollowsViewers()
{
    // The source reports its size when it starts; the figures show it a moment later.
    QTRY_COMPARE_WITH_TIMEOUT(status(m_port).value("source").toObject().value("width").toInt(),
                              kSize.width(), kWaitMs);
    const QJsonObject idle = status(m_port);
    QCOMPARE(idle.value("streaming").toBool(), true);
    const QJsonObject source = idle.value("source").toObject();
    QCOMPARE(source.value("width").toInt(), kSize.width());
    QCOMPARE(source.value("height").toInt(), kSize.height());
    QCOMPARE(source.value("online").toBool(), true);
    QCOMPARE(source.value("fps").toDouble(), 30.0);
    QCOMPARE(idle.value("client_count").toInt(), 0);
    QCOMPARE(output(idle, "quality"), 80.0);

    StreamClient viewers[3];
    QSet<int> ports;
    for (StreamClient &v : viewers) {
        v.open(m_port);
        QVERIFY(v.waitConnected());
        ports.insert(v.localPort());
    }
    QTRY_COMPARE_WITH_TIMEOUT(clientPorts(status(m_port)), ports, kWaitMs);
    for (StreamClient &v : viewers)
        QTRY_VERIFY_WITH_TIMEOUT(v.frames() >= 3, kWaitMs);

    QJsonObject s = status(m_port);
    QCOMPARE(s.value("client_count").toInt(), 3);
    for (const QJsonValue &c : s.value("clients").toArray()) {
        const QJsonObject client = c.toObject();
        QCOMPARE(client.value("address").toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(client.value("streaming").toBool(), true);
        QVERIFY(client.value("bytes_sent").toDouble() > 0);
        QVERIFY(!client.value("connected_since").toString().isEmpty());
    }
    QVERIFY(output(s, "frames_encoded") <= output(s, "frames_captured"));
    QVERIFY(output(s, "frames_published") <= output(s, "frames_encoded"));
    QVERIFY(output(s, "bytes_total") > 0);
    QVERIFY(s.value("connections_total").toDouble() >= 3);

    // Viewers leave one by one; the list follows.
    ports = {viewers[0].localPort(), viewers[2].localPort()};
    viewers[1].abort();
    QTRY_COMPARE_WITH_TIMEOUT(clientPorts(status(m_port)), ports, kWaitMs);
    viewers[0].close();
    viewers[2].abort();
    QTRY_COMPARE_WITH_TIMEOUT(status(m_port).value("client_count").toInt(), 0, kWaitMs);
}

void TestStreamServer::oneEncodePerFrame()
{
    StreamClient viewers[5];
    for (StreamClient &v : viewers)
        v.open(m_port);
    for (StreamClient &v : viewers)
        QTRY_VERIFY_WITH_TIMEOUT(v.frames() >= 10, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(status(m_port).value("client_count").toInt(), 5, kWaitMs);

    // Every captured frame is encoded once or replaced by a newer one before its turn, whatever
    // the number of viewers; five encodes per frame would show as encoded ≈ 5 × captured. The
    // two can differ by the frame being encoded right now, so wait for a quiet moment.
    QJsonObject s;
    QVERIFY(waitUntil([&] {
        return (s = status(m_port),
                output(s, "frames_encoded") + output(s, "frames_replaced")
                    == output(s, "frames_captured"));
    }));
    QVERIFY(output(s, "frames_captured") >= 10);
    QVERIFY(output(s, "frames_encoded") <= output(s, "frames_captured"));
    const double published = output(s, "frames_published");
    for (StreamClient &v : viewers) {
        QVERIFY2(v.error().isEmpty(), qPrintable(v.error()));
        QVERIFY(v.frames() <= published + 5);
    }
}

void TestStreamServer::fpsCap()
{
    StreamClient capped;
    StreamClient full;
    capped.open(m_port, "/stream?fps=3&viewer=page-1_x");
    full.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(full.frames() >= 5 && capped.frames() >= 1, kWaitMs);
    const QJsonObject before = status(m_port);
    const qsizetype cappedBefore = capped.frames();
    QTest::qWait(3000); // a window to count in
    const QJsonObject after = status(m_port);
    const double published = output(after, "frames_published") - output(before, "frames_published");
    const qsizetype got = capped.frames() - cappedBefore;
    qInfo() << "capped viewer got" << got << "frames of" << published << "published";
    // 3 of 30 frames a second: far fewer than published, but frames still come.
    QVERIFY(got >= 1);
    QVERIFY2(got < published / 2, qPrintable(QStringLiteral("%1 of %2").arg(got).arg(published)));
    QCOMPARE(clientOnPort(after, capped.localPort()).value("max_fps").toDouble(), 3.0);
    // The label a page gives its own stream, to find it among the others.
    QCOMPARE(clientOnPort(after, capped.localPort()).value("viewer").toString(), "page-1_x");
    QCOMPARE(clientOnPort(after, full.localPort()).value("viewer").toString(), "");
    QVERIFY2(capped.error().isEmpty(), qPrintable(capped.error()));
}

void TestStreamServer::keepAliveAndPipelining()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(kWaitMs));
    ResponseStream in;
    ResponseHead head;
    QByteArray body;
    QString error;

    // Keep-alive: one request, its answer, the connection stays; then another.
    for (const QByteArray path : {"/status", "/snapshot", "/"}) {
        socket.write("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(waitUntil(
            [&] { return (in.buffer += socket.readAll(), in.take(false, &head, &body, &error)); }));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("Connection"), QByteArray("keep-alive"));
        QVERIFY(!body.isEmpty());
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    }

    // Pipelined: four requests in one write, answered in order; the last one closes.
    socket.write("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"
                 "HEAD /snapshot HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    // (The 404 closes the connection: the request after it is never answered.)
    QVERIFY(waitUntil([&] {
        return (in.buffer += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState);
    }));
    in.buffer += socket.readAll();
    QVERIFY(in.take(false, &head, &body, &error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(body.startsWith('{'));
    QVERIFY(in.take(true, &head, &body, &error));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Type"), QByteArray("image/jpeg"));
    QVERIFY(head.contentLength() > 0);
    QVERIFY(in.take(false, &head, &body, &error));
    QCOMPARE(head.status, 404);
    QCOMPARE(head.header("Connection"), QByteArray("close"));
    QVERIFY2(in.buffer.isEmpty(), in.buffer.left(100).constData());

    // Pipelined, the last one asking to close.
    QTcpSocket second;
    second.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(second.waitForConnected(kWaitMs));
    second.write("GET /status HTTP/1.1\r\n\r\nGET /snapshot HTTP/1.1\r\n\r\n"
                 "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    ResponseStream in2;
    QVERIFY(waitUntil([&] {
        return (in2.buffer += second.readAll(),
                second.state() == QAbstractSocket::UnconnectedState);
    }));
    in2.buffer += second.readAll();
    for (const QByteArray type : {"application/json", "image/jpeg", "text/html; charset=utf-8"}) {
        QVERIFY(in2.take(false, &head, &body, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("Content-Type"), type);
    }
    QCOMPARE(head.header("Connection"), QByteArray("close"));
    QVERIFY(in2.buffer.isEmpty());
}

void TestStreamServer::pipelinedRequestThenStream()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(kWaitMs));
    socket.write("GET /status HTTP/1.1\r\nHost: x\r\n\r\nGET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    ResponseStream in;
    ResponseHead head;
    QByteArray body;
    QString error;
    QVERIFY(waitUntil(
        [&] { return (in.buffer += socket.readAll(), in.take(false, &head, &body, &error)); }));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Type"), QByteArray("application/json"));
    ResponseHead streamHead;
    QVERIFY(waitUntil([&] {
        return (in.buffer += socket.readAll(), takeResponseHead(in.buffer, &streamHead, &error));
    }));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(streamHead.status, 200);
    MultipartReader reader(boundaryOf(streamHead.header("Content-Type")));
    reader.feed(std::exchange(in.buffer, {}));
    QVERIFY(waitUntil([&] {
        return (reader.feed(socket.readAll()),
                reader.partsRead() >= 3 || !reader.error().isEmpty());
    }));
    QVERIFY2(reader.error().isEmpty(), qPrintable(reader.error()));
}

void TestStreamServer::streamingSwitchedOff()
{
    StreamClient a;
    StreamClient b;
    a.open(m_port);
    b.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(a.frames() >= 2 && b.frames() >= 2, kWaitMs);

    m_pipeline->server()->setRunning(false);
    // Open streams end with the closing delimiter after a complete part, and the server hangs up.
    QTRY_VERIFY_WITH_TIMEOUT(a.isClosedCleanly() && b.isClosedCleanly(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(a.isUnconnected() && b.isUnconnected(), kWaitMs);
    QVERIFY2(a.error().isEmpty(), qPrintable(a.error()));
    QVERIFY2(b.error().isEmpty(), qPrintable(b.error()));

    const HttpResult stream = get(m_port, "/stream");
    QCOMPARE(stream.head.status, 503);
    QVERIFY(stream.head.hasHeader("Retry-After"));
    QCOMPARE(get(m_port, "/snapshot").head.status, 503);
    QCOMPARE(get(m_port, "/").head.status, 200);
    const HttpResult st = get(m_port, "/status");
    QCOMPARE(st.head.status, 200);
    QCOMPARE(QJsonDocument::fromJson(st.body).object().value("streaming").toBool(true), false);
    // The figures are a snapshot refreshed a few times a second: the viewers leave it soon.
    QTRY_COMPARE_WITH_TIMEOUT(status(m_port).value("client_count").toInt(-1), 0, kWaitMs);

    m_pipeline->server()->setRunning(true);
    StreamClient again;
    again.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(again.frames() >= 2, kWaitMs);
    QVERIFY2(again.error().isEmpty(), qPrintable(again.error()));
}

void TestStreamServer::clientLimit()
{
    QVERIFY(startPipeline([](PipelineConfig &c) { c.server.maxClients = 2; }));
    StreamClient a;
    StreamClient b;
    a.open(m_port);
    b.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(a.frames() >= 1 && b.frames() >= 1, kWaitMs);
    const HttpResult refused = get(m_port, "/status");
    QVERIFY2(refused.error.isEmpty(), qPrintable(refused.error));
    QCOMPARE(refused.head.status, 503);
    QVERIFY(refused.head.hasHeader("Retry-After"));
    b.abort();
    QTRY_COMPARE_WITH_TIMEOUT(get(m_port, "/status").head.status, 200, kWaitMs);
    QVERIFY(a.isConnected());
}

void TestStreamServer::requestTimeout()
{
    QVERIFY(startPipeline([](PipelineConfig &c) { c.server.requestTimeoutMs = 1000; }));
    StreamClient viewer;
    viewer.open(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 1, kWaitMs);
    // A request that never ends (slowloris) and an idle keep-alive connection are closed...
    QTcpSocket slow;
    slow.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(slow.waitForConnected(kWaitMs));
    slow.write("GET /status HTTP/1.1\r\nHost: x\r\n");
    QTcpSocket idle;
    idle.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(idle.waitForConnected(kWaitMs));
    idle.write("GET /status HTTP/1.1\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(slow.state(), QAbstractSocket::UnconnectedState, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(idle.state(), QAbstractSocket::UnconnectedState, kWaitMs);
    QVERIFY(idle.readAll().startsWith("HTTP/1.1 200 OK")); // answered first
    // ...a viewer, quiet on its side for as long, is not.
    QVERIFY(viewer.isConnected());
    const qsizetype before = viewer.frames();
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() > before, kWaitMs);
}

void TestStreamServer::noFrameYet()
{
    // A bare StreamServer before any frame: the page and the figures answer, pictures do not.
    StreamServer server;
    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    QVERIFY2(server.listen(config), qPrintable(server.errorString()));
    const quint16 port = quint16(server.port());
    QVERIFY(port != 0);
    for (const QByteArray path : {"/stream", "/snapshot"}) {
        const HttpResult r = get(port, path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.head.status, 503);
        QVERIFY(r.head.hasHeader("Retry-After"));
    }
    QCOMPARE(get(port, "/status").head.status, 200);

    // The first frame makes both answer.
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    const QByteArray jpeg = JpegEncoder().encode(image, 80);
    server.addCamera(QStringLiteral("main"))
        ->publishFrame(Frame(1, wallClockUs(), jpeg, image.size(), true));
    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/snapshot").body, jpeg, kWaitMs);
    StreamClient viewer;
    viewer.open(port);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.frames() >= 1 || !viewer.error().isEmpty(), kWaitMs);
    QVERIFY2(viewer.error().isEmpty(), qPrintable(viewer.error()));
    QCOMPARE(viewer.takeParts().first().jpeg, jpeg);
}

void TestStreamServer::credentialsSurvivePortChange()
{
    // Credentials set on the running server must still hold after it moves to another port.
    m_pipeline->server()->setCredentials("viewer", "s3cret");
    QTRY_COMPARE_WITH_TIMEOUT(get(m_port, "/status").head.status, 401, kWaitMs);
    quint16 newPort = 0;
    {
        QTcpServer probe; // a port that is free right now
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        newPort = probe.serverPort();
    }
    QVERIFY2(m_pipeline->setPort(newPort), qPrintable(m_pipeline->errorString()));
    QCOMPARE(m_pipeline->server()->port(), int(newPort));
    QTRY_COMPARE_WITH_TIMEOUT(get(newPort, "/snapshot").head.status, 401, kWaitMs);
    QCOMPARE(get(newPort, "/stream").head.status, 401);
    const QByteArray right
        = "Authorization: Basic " + QByteArray("viewer:s3cret").toBase64() + "\r\n";
    QCOMPARE(get(newPort, "/status", right).head.status, 200);
}

void TestStreamServer::portChangeToBusyPortKeepsOldPort()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    QVERIFY(!m_pipeline->setPort(blocker.serverPort()));
    QVERIFY(m_pipeline->errorString().contains(QString::number(blocker.serverPort())));
    // Still where it was (started with --port 0: the port it got, not another random one).
    QCOMPARE(m_pipeline->server()->port(), int(m_port));
    QTRY_COMPARE_WITH_TIMEOUT(get(m_port, "/snapshot").head.status, 200, kWaitMs);
}

QTEST_MAIN(TestStreamServer)
#include "tst_streamserver.moc"
