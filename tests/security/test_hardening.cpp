// Hardening against the real server over real sockets: bad requests, slow and silent clients,
// limits, running out of descriptors, access control, secrets, HTTPS and shutdown. After each
// abuse, a normal viewer must still get whole frames.
#include "appprocess.h"
#include "rawsocket.h"
#include "testcertificate.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <vector>

using TestSupport::AppProcess;
using TestSupport::checkStream;
using TestSupport::RawSocket;
using TestSupport::StreamCheck;

// A literal with its NUL bytes, without the terminating one.
#define BYTES(literal) QByteArray(literal, sizeof(literal) - 1)

namespace {
QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: kiosk\r\n" + extraHeaders
        + "Connection: close\r\n\r\n";
}

int statusOf(const QByteArray &response)
{
    if (!response.startsWith("HTTP/1.1 ") || response.size() < 12)
        return 0;
    return response.mid(9, 3).toInt();
}

// Sends bytes, reads until the server closes; the whole answer.
QByteArray exchange(quint16 port, const QByteArray &request, const char *from = nullptr)
{
    RawSocket socket;
    if (!socket.connectTo(port, from))
        return {};
    socket.send(request);
    return socket.readAll(5000);
}

// A viewer reads /stream until it has `frames` whole parts; the check says what it got.
StreamCheck watch(quint16 port, int frames = 10, const QByteArray &target = "/stream")
{
    RawSocket socket;
    if (!socket.connectTo(port))
        return {0, false, QStringLiteral("cannot connect")};
    socket.send(get(target));
    const QByteArray data = socket.readUntil(
        [frames](const QByteArray &d) { return checkStream(d).parts >= frames; }, 10000);
    return checkStream(data);
}

// The app as these tests run it: headless on the test pattern, port 0 on every address (as
// deployed: IPv4 viewers arrive on a dual-stack socket), `options` after the defaults; ready once
// it has a first frame (`probe` answers anything but 503).
bool startServer(AppProcess &server, const QStringList &options,
                 const QByteArray &probe = "/snapshot")
{
    return server.startListening(QStringList{QStringLiteral("--headless"), QStringLiteral("--port"),
                                             QStringLiteral("0"), QStringLiteral("--source"),
                                             QStringLiteral("test"), QStringLiteral("--resolution"),
                                             QStringLiteral("320x240")}
                                 + options)
        != 0
        && server.waitForFirstFrame(probe);
}

// /status, asked over plain HTTP.
QJsonObject statusJson(quint16 port)
{
    const QByteArray answer = exchange(port, get("/status"));
    return QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4)).object();
}

// The viewer in /status with this address and port; empty when it is not listed.
QJsonObject viewerIn(const QJsonObject &status, const QString &address, int port)
{
    for (const QJsonValue &c : status.value(QLatin1String("clients")).toArray()) {
        const QJsonObject client = c.toObject();
        if (client.value(QLatin1String("address")).toString() == address
            && client.value(QLatin1String("port")).toInt() == port)
            return client;
    }
    return {};
}

// One sample of /metrics by its name and labels (without the mjpeg_kiosk_ prefix); -1 if absent.
double metric(quint16 port, const QByteArray &sample)
{
    const QByteArray answer = exchange(port, get("/metrics"));
    for (const QByteArray &line : answer.split('\n')) {
        if (line.startsWith("mjpeg_kiosk_" + sample + ' '))
            return line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
    return -1;
}

// An HTTPS viewer that sends one request and then reads nothing: small receive buffers, in the
// kernel and in the QSslSocket, so that the server's side of a /stream backs up quickly.
class StalledTlsViewer
{
public:
    bool open(quint16 port, const QByteArray &request)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int small = 4096;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            || !m_socket.setSocketDescriptor(fd)) {
            ::close(fd);
            return false;
        }
        m_socket.setReadBufferSize(small);
        m_socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_socket.startClientEncryption();
        if (!m_socket.waitForEncrypted(5000))
            return false;
        m_socket.write(request);
        return m_socket.waitForBytesWritten(5000);
    }
    int localPort() const { return m_socket.localPort(); }
    void close() { m_socket.abort(); }

private:
    QSslSocket m_socket;
};

qint64 cpuTimeMs(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
    return (fields.value(11).toLongLong() + fields.value(12).toLongLong()) * 1000
        / sysconf(_SC_CLK_TCK);
}
} // namespace

#define QVERIFY_VIEWER(port) \
    do { \
        const StreamCheck check_ = watch(port); \
        QVERIFY2(check_.error.isEmpty(), qPrintable(check_.error)); \
        QVERIFY2(check_.parts >= 10, \
                 qPrintable(QStringLiteral("only %1 parts").arg(check_.parts))); \
    } while (false)

class TestHardening : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badRequest_data();
    void badRequest();
    void pipelined();
    void halfClosedAfterRequest();
    void slowloris();
    void silentClient();
    void stalledViewerDropped();
    void maxClients();
    void maxClientsPerAddress();
    void perAddressCapBehindProxy();
    void outOfDescriptors();
    void basicAuthAndToken();
    void secretsNeverShown();
    void allowList();
    void https();
    void httpsDroppedFramesCounted();
    void httpsLikePlain();
    void badOptions_data();
    void badOptions();
    void shutdownClosesViewers_data();
    void shutdownClosesViewers();

private:
    AppProcess m_server; // shared by the bad-request tests
};

void TestHardening::initTestCase()
{
    QVERIFY2(startServer(m_server, {QStringLiteral("--request-timeout"), QStringLiteral("1")}),
             qPrintable(m_server.output()));
    QVERIFY_VIEWER(m_server.port());
}

void TestHardening::badRequest_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status"); // 0: closed without an answer

    QTest::newRow("garbage") << BYTES("\x16\x03\x01\x02\x00garbage\r\n\r\n") << 400;
    QTest::newRow("binary noise") << QByteArray(300, '\x9c') + "\r\n\r\n" << 400;
    QTest::newRow("bare LF line ends")
        << QByteArray("GET /status HTTP/1.1\nConnection: close\n\n") << 200;
    QTest::newRow("no blank line, then EOF") << QByteArray("GET /status HTTP/1.1\r\n") << 0;
    QTest::newRow("huge request line") << "GET /" + QByteArray(10000, 'a') + " HTTP/1.1\r\n\r\n"
                                       << 431;
    QTest::newRow("huge header") << "GET / HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'b') + "\r\n\r\n"
                                 << 431;
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 70; ++i)
        many += "X-H" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("too many headers") << many + "\r\n" << 431;
    QTest::newRow("unknown method") << get("/stream").replace("GET", "BREW") << 405;
    QTest::newRow("POST") << get("/snapshot").replace("GET", "POST") << 405;
    QTest::newRow("malformed method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("absolute-form") << get("http://kiosk:8080/status") << 200;
    QTest::newRow("absolute-form, other scheme") << get("ftp://kiosk/status") << 400;
    QTest::newRow("asterisk-form") << get("*") << 400;
    QTest::newRow("dot-dot") << get("/../../etc/passwd") << 400;
    QTest::newRow("encoded dot-dot") << get("/%2e%2e/%2E%2E/etc/passwd") << 400;
    QTest::newRow("NUL in target") << BYTES("GET /sta\0tus HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("encoded NUL") << get("/status%00.html") << 400;
    QTest::newRow("NUL in header") << BYTES("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n") << 400;
    QTest::newRow("non-UTF-8 target") << get("/\xff\xfe\xc0\xaf") << 400;
    QTest::newRow("non-UTF-8 header value (obs-text)")
        << get("/status", "X-Name: \xff\xfe\r\n") << 200;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nNoColon\r\n\r\n") << 400;
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n") << 400;
    QTest::newRow("huge body") << get("/status", "Content-Length: 99999999\r\n") << 413;
    QTest::newRow("conflicting lengths")
        << get("/status", "Content-Length: 1\r\nContent-Length: 2\r\n") << 400;
    QTest::newRow("chunked") << get("/status", "Transfer-Encoding: chunked\r\n") << 501;
    QTest::newRow("bad fps") << get("/stream?fps=-1") << 400;
    QTest::newRow("unknown path") << get("/etc/passwd") << 404;
}

void TestHardening::badRequest()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    RawSocket socket;
    QVERIFY(socket.connectTo(m_server.port()));
    QVERIFY(socket.send(request));
    if (status == 0)
        socket.shutdownWrite();
    bool closed = false;
    const QByteArray answer = socket.readAll(5000, &closed);
    QVERIFY2(closed, "the server must close the connection");
    QCOMPARE(statusOf(answer), status);
    QVERIFY_VIEWER(m_server.port());
}

void TestHardening::pipelined()
{
    RawSocket socket;
    QVERIFY(socket.connectTo(m_server.port()));
    QVERIFY(socket.send("GET /status HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n"
                        "Connection: close\r\n\r\n"));
    bool closed = false;
    const QByteArray answer = socket.readAll(5000, &closed);
    QVERIFY(closed);
    const qsizetype first = answer.indexOf("HTTP/1.1 200");
    const qsizetype second = answer.indexOf("HTTP/1.1 200", first + 1);
    const qsizetype third = answer.indexOf("HTTP/1.1 404");
    QVERIFY2(first == 0 && second > first && third > second, answer.left(300).constData());
    QVERIFY_VIEWER(m_server.port());
}

void TestHardening::halfClosedAfterRequest()
{
    RawSocket socket;
    QVERIFY(socket.connectTo(m_server.port()));
    QVERIFY(socket.send("GET /status HTTP/1.1\r\n\r\n")); // keep-alive asked, then FIN
    socket.shutdownWrite();
    bool closed = false;
    const QByteArray answer = socket.readAll(5000, &closed);
    QCOMPARE(statusOf(answer), 200);
    QVERIFY2(closed, "closed once answered, since the client can send nothing more");
}

void TestHardening::slowloris()
{
    // One byte every 200 ms: the request never completes within --request-timeout (1 s).
    RawSocket slow;
    QVERIFY(slow.connectTo(m_server.port()));
    RawSocket viewer;
    QVERIFY(viewer.connectTo(m_server.port()));
    QVERIFY(viewer.send(get("/stream")));
    const QByteArray request = get("/status", "X-Padding: " + QByteArray(200, 'p') + "\r\n");
    QByteArray seen;
    bool slowClosed = false;
    QElapsedTimer timer;
    timer.start();
    for (qsizetype i = 0; i < request.size() && timer.elapsed() < 10000; ++i) {
        if (!slow.send(request.mid(i, 1))) {
            slowClosed = true;
            break;
        }
        QByteArray ignored;
        if (!slow.readAvailable(&ignored, 0)) {
            slowClosed = true;
            break;
        }
        viewer.readAvailable(&seen, 200); // the viewer is served meanwhile
    }
    QVERIFY2(slowClosed, "a request trickled byte by byte must be cut off");
    const StreamCheck check = checkStream(seen);
    QVERIFY2(check.error.isEmpty(), qPrintable(check.error));
    QVERIFY2(check.parts >= 10, qPrintable(QStringLiteral("viewer got %1 parts").arg(check.parts)));
    QVERIFY_VIEWER(m_server.port());
}

void TestHardening::silentClient()
{
    RawSocket silent;
    QVERIFY(silent.connectTo(m_server.port()));
    bool closed = false;
    const QByteArray answer = silent.readAll(10000, &closed);
    QVERIFY2(closed, "a connection that never sends must be closed after --request-timeout");
    QVERIFY(answer.isEmpty());
    QVERIFY_VIEWER(m_server.port());
}

void TestHardening::stalledViewerDropped()
{
    // A viewer that vanished without a FIN (cable pulled) or just stopped reading: its socket
    // fills up, and after --send-timeout it is dropped; the others do not notice.
    AppProcess server;
    QVERIFY(startServer(server,
                        {QStringLiteral("--send-timeout"), QStringLiteral("1"),
                         QStringLiteral("--client-buffer"), QStringLiteral("16384")}));
    RawSocket stalled;
    QVERIFY(stalled.connectTo(server.port()));
    stalled.setReceiveBuffer(4096);
    QVERIFY(stalled.send(get("/stream")));
    QVERIFY_VIEWER(server.port());
    if (!QStandardPaths::findExecutable(QStringLiteral("ss")).isEmpty()) {
        // The server's side of each connection: its send buffer ("tb" in skmem) is the one set
        // (the kernel doubles it for bookkeeping), not autotuned up to megabytes.
        QProcess ss;
        ss.start(QStringLiteral("ss"),
                 {QStringLiteral("-tmnH"), QStringLiteral("state"), QStringLiteral("established"),
                  QStringLiteral("sport"), QStringLiteral("="),
                  QStringLiteral(":%1").arg(server.port())});
        QVERIFY(ss.waitForFinished(5000));
        const QString out = QString::fromUtf8(ss.readAllStandardOutput());
        static const QRegularExpression tb(QStringLiteral("\\btb(\\d+)"));
        int sockets = 0;
        for (auto it = tb.globalMatch(out); it.hasNext(); ++sockets)
            QVERIFY2(it.next().captured(1).toInt() <= 2 * 16384, qPrintable(out));
        QVERIFY2(sockets > 0, qPrintable(out));
    }
    QElapsedTimer timer;
    timer.start();
    while (!server.output().contains("closing unresponsive connection") && timer.elapsed() < 15000)
        QTest::qWait(100);
    QVERIFY2(server.output().contains("closing unresponsive connection"),
             qPrintable(server.output()));
    QVERIFY_VIEWER(server.port());
}

// Holds `count` connections (from address `from`, if given) and returns the answer to one more
// request. The start-up probe's connection may still be counted for a moment, and then one of
// the held ones is the one refused: hold them again until the server counts exactly them.
static QByteArray holdAndAsk(quint16 port, int count, const char *from,
                             std::vector<RawSocket> *held)
{
    QByteArray answer;
    for (int attempt = 0; attempt < 20 && statusOf(answer) != 503; ++attempt) {
        held->clear();
        QTest::qWait(100);
        held->resize(size_t(count));
        for (RawSocket &socket : *held) {
            if (!socket.connectTo(port, from))
                return {};
        }
        QTest::qWait(200); // the server counts them when it accepts them
        answer = from ? exchange(port, get("/status"), from) : exchange(port, get("/status"));
    }
    return answer;
}

void TestHardening::maxClients()
{
    AppProcess server;
    QVERIFY(startServer(server,
                        {QStringLiteral("--max-clients"), QStringLiteral("4"),
                         QStringLiteral("--request-timeout"), QStringLiteral("30")}));
    std::vector<RawSocket> held;
    const QByteArray refused = holdAndAsk(server.port(), 4, nullptr, &held);
    QVERIFY2(statusOf(refused) == 503, qPrintable(server.output()));
    QVERIFY(refused.contains("Retry-After:"));
    QVERIFY(server.output().contains("client limit reached"));
    held.clear();
    QTest::qWait(200);
    QVERIFY_VIEWER(server.port());
}

void TestHardening::maxClientsPerAddress()
{
    AppProcess server;
    QVERIFY(startServer(server,
                        {QStringLiteral("--max-clients-per-address"), QStringLiteral("3"),
                         QStringLiteral("--request-timeout"), QStringLiteral("30")}));
    std::vector<RawSocket> held;
    const QByteArray refused = holdAndAsk(server.port(), 3, "127.0.0.1", &held);
    QCOMPARE(statusOf(refused), 503);
    QVERIFY(refused.contains("too many connections from your address"));
    // Another address is not affected.
    QCOMPARE(statusOf(exchange(server.port(), get("/status"), "127.0.0.2")), 200);
    held.pop_back();
    QTest::qWait(200);
    QCOMPARE(statusOf(exchange(server.port(), get("/status"), "127.0.0.1")), 200);

    // 0 lifts the cap: what the 1000-viewer benchmark on loopback needs.
    AppProcess unlimited;
    QVERIFY(startServer(unlimited,
                        {QStringLiteral("--max-clients-per-address"), QStringLiteral("0"),
                         QStringLiteral("--max-clients"), QStringLiteral("200")}));
    std::vector<RawSocket> many(40);
    for (RawSocket &socket : many)
        QVERIFY(socket.connectTo(unlimited.port()));
    QTest::qWait(200);
    QCOMPARE(statusOf(exchange(unlimited.port(), get("/status"))), 200);
}

// Connections through a trusted proxy count against the proxy's address while they are open,
// and stop counting when they close, whoever they were forwarded for.
void TestHardening::perAddressCapBehindProxy()
{
    AppProcess server;
    QVERIFY(startServer(server,
                        {QStringLiteral("--max-clients-per-address"), QStringLiteral("2"),
                         QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1")}));
    for (int i = 0; i < 6; ++i) {
        const QByteArray viewer = "X-Forwarded-For: 203.0.113." + QByteArray::number(i) + "\r\n";
        // The server closes before it has counted the connection out: a moment's retry.
        QTRY_COMPARE_WITH_TIMEOUT(
            statusOf(exchange(server.port(), get("/status", viewer), "127.0.0.1")), 200, 10000);
    }
}

void TestHardening::outOfDescriptors()
{
    if (QStandardPaths::findExecutable(QStringLiteral("prlimit")).isEmpty())
        QSKIP("prlimit (util-linux) is not installed");
    AppProcess server;
    server.setWrapper({QStringLiteral("prlimit"), QStringLiteral("--nofile=64:64")});
    QVERIFY2(startServer(server,
                         {QStringLiteral("--max-clients"), QStringLiteral("1000"),
                          QStringLiteral("--max-clients-per-address"), QStringLiteral("0"),
                          QStringLiteral("--request-timeout"), QStringLiteral("60")}),
             qPrintable(server.output()));
    // Far more connections than descriptors: the server runs out and must neither spin nor
    // go deaf; the connections it cannot take are told so (503) or closed.
    std::vector<RawSocket> held(120);
    for (RawSocket &socket : held)
        QVERIFY(socket.connectTo(server.port()));
    QTest::qWait(500);
    const qint64 cpuBefore = cpuTimeMs(server.pid());
    QTest::qWait(2000);
    const qint64 cpuUsed = cpuTimeMs(server.pid()) - cpuBefore;
    // Streaming nobody at 320x240 costs a few percent; a spinning accept loop costs a core.
    QVERIFY2(cpuUsed < 1000, qPrintable(QStringLiteral("%1 ms CPU in 2 s").arg(cpuUsed)));
    QCOMPARE(server.output().count(QStringLiteral("cannot accept connections")), 1);
    int refused = 0;
    for (RawSocket &socket : held) {
        QByteArray data;
        if (!socket.readAvailable(&data, 0) && statusOf(data) == 503)
            ++refused;
    }
    QVERIFY2(refused > 0, "connections beyond the limit are answered 503");
    held.clear();
    QTest::qWait(500);
    QVERIFY_VIEWER(server.port());
    QVERIFY(server.output().contains("accepting connections again"));
}

void TestHardening::basicAuthAndToken()
{
    QTemporaryDir dir;
    QFile passwordFile(dir.filePath(QStringLiteral("password")));
    QVERIFY(passwordFile.open(QIODevice::WriteOnly));
    passwordFile.write("pw-Secret-1\n");
    passwordFile.close();
    AppProcess server;
    QVERIFY(startServer(server,
                        {QStringLiteral("--user"), QStringLiteral("alice"),
                         QStringLiteral("--password-file"), passwordFile.fileName(),
                         QStringLiteral("--token"), QStringLiteral("tok-Secret-2"),
                         QStringLiteral("--allow-origin"), QStringLiteral("https://example.org")},
                        "/snapshot?token=tok-Secret-2"));
    const QByteArray good
        = "Authorization: Basic " + QByteArray("alice:pw-Secret-1").toBase64() + "\r\n";
    const QByteArray bad
        = "Authorization: Basic " + QByteArray("alice:pw-Secret-X").toBase64() + "\r\n";
    const QByteArray none = exchange(server.port(), get("/status"));
    QCOMPARE(statusOf(none), 401);
    QVERIFY(none.contains("WWW-Authenticate: Basic"));
    QVERIFY(none.contains("Access-Control-Allow-Origin: https://example.org\r\n"));
    QCOMPARE(statusOf(exchange(server.port(), get("/status", bad))), 401);
    QCOMPARE(statusOf(exchange(server.port(), get("/snapshot?token=tok-Secret-X"))), 401);
    const QByteArray ok = exchange(server.port(), get("/status", good));
    QCOMPARE(statusOf(ok), 200);
    QVERIFY(ok.contains("Access-Control-Allow-Origin: https://example.org\r\n"));
    QCOMPARE(statusOf(exchange(server.port(), get("/snapshot?token=tok-Secret-2"))), 200);
    const QByteArray preflight = exchange(server.port(),
                                          "OPTIONS /status HTTP/1.1\r\nOrigin: "
                                          "https://example.org\r\nConnection: close\r\n\r\n");
    QCOMPARE(statusOf(preflight), 204);
    QVERIFY(preflight.contains("Access-Control-Allow-Headers: Authorization"));
    const StreamCheck check = watch(server.port(), 5, "/stream?fps=10&token=tok-Secret-2");
    QVERIFY2(check.error.isEmpty() && check.parts >= 5, qPrintable(check.error));
}

void TestHardening::secretsNeverShown()
{
    AppProcess server;
    server.setEnvironment(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("kiosk.*=true"));
    QVERIFY(startServer(server,
                        {QStringLiteral("--password"), QStringLiteral("pw-Secret-1"),
                         QStringLiteral("--token"), QStringLiteral("tok-Secret-2")},
                        "/snapshot?token=tok-Secret-2"));
    const QByteArray good
        = "Authorization: Basic " + QByteArray("viewer:pw-Secret-1").toBase64() + "\r\n";
    // Every kind of answer, with the secrets in the places a careless log would copy.
    exchange(server.port(), get("/nowhere?token=tok-Secret-2", good));
    exchange(server.port(), get("/status?token=tok-Secret-2 x"));
    exchange(server.port(), get("/../x?token=tok-Secret-2"));
    exchange(server.port(), get("/status?token=tok-Secret-2", good).replace("GET", "PUT"));
    RawSocket slow;
    QVERIFY(slow.connectTo(server.port()));
    slow.send("GET /stream?token=tok-Secret-2 HTTP/1.1\r\n"); // then times out
    QVERIFY(watch(server.port(), 3, "/stream?token=tok-Secret-2").parts >= 3);
    QTest::qWait(600); // a /status refresh with the viewer's figures
    const QByteArray status = exchange(server.port(), get("/status?token=tok-Secret-2"));
    QCOMPARE(statusOf(status), 200);
    QVERIFY(!status.contains("Secret"));
    server.stop();
    const QByteArray log = server.output().toUtf8();
    QVERIFY(log.contains("viewer connected")); // debug logging was on
    QVERIFY2(!log.contains("Secret"), log.constData());
    QVERIFY(!log.contains(QByteArray("pw-Secret-1").toBase64()));
}

void TestHardening::allowList()
{
    AppProcess server;
    QVERIFY(startServer(server,
                        {QStringLiteral("--allow"), QStringLiteral("10.0.0.0/8"),
                         QStringLiteral("--allow"), QStringLiteral("127.0.0.2")}));
    const QByteArray refused = exchange(server.port(), get("/status"), "127.0.0.1");
    QCOMPARE(statusOf(refused), 403);
    QCOMPARE(statusOf(exchange(server.port(), get("/status"), "127.0.0.2")), 200);
}

void TestHardening::https()
{
    if (const QString why = TestSupport::httpsUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QTemporaryDir dir;
    QString cert, key;
    QVERIFY(TestSupport::makeCertificate(dir, &cert, &key));

    AppProcess server;
    QVERIFY2(startServer(server,
                         {QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key,
                          QStringLiteral("--tls-port"), QStringLiteral("0"),
                          QStringLiteral("--request-timeout"), QStringLiteral("1")}),
             qPrintable(server.output()));
    QVERIFY(server.tlsPort() != 0);

    auto tlsGet = [&](const QByteArray &request, auto &&done) {
        QSslSocket socket;
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.tlsPort());
        if (!socket.waitForEncrypted(5000))
            return QByteArray("no handshake: ") + socket.errorString().toUtf8();
        socket.write(request);
        QByteArray data;
        QElapsedTimer timer;
        timer.start();
        while (!done(data) && timer.elapsed() < 10000) {
            if (!socket.waitForReadyRead(200) && socket.state() != QAbstractSocket::ConnectedState)
                break;
            data += socket.readAll();
        }
        return data;
    };
    const QByteArray status = tlsGet(get("/status"), [](const QByteArray &) { return false; });
    QCOMPARE(statusOf(status), 200);
    QVERIFY(status.contains("\"streaming\":true"));
    const QByteArray pipelined = tlsGet("GET /status HTTP/1.1\r\n\r\n" + get("/nope"),
                                        [](const QByteArray &) { return false; });
    QVERIFY2(pipelined.startsWith("HTTP/1.1 200") && pipelined.contains("HTTP/1.1 404"),
             pipelined.left(300).constData());
    const QByteArray stream
        = tlsGet(get("/stream"), [](const QByteArray &d) { return checkStream(d).parts >= 10; });
    const StreamCheck check = checkStream(stream);
    QVERIFY2(check.error.isEmpty(), qPrintable(check.error));
    QVERIFY(check.parts >= 10);
    // Plain HTTP and garbage on the TLS port: closed, server fine.
    bool closed = false;
    RawSocket plain;
    QVERIFY(plain.connectTo(server.tlsPort()));
    plain.send(get("/status"));
    plain.readAll(5000, &closed);
    QVERIFY(closed);
    // A client that opens the TLS port and says nothing is cut off like a plain one.
    RawSocket silent;
    QVERIFY(silent.connectTo(server.tlsPort()));
    closed = false;
    silent.readAll(10000, &closed);
    QVERIFY2(closed, "a silent TLS client must be closed after --request-timeout");
    QVERIFY_VIEWER(server.port());
    if (!QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty()) {
        QProcess curl;
        curl.start(QStringLiteral("curl"),
                   {QStringLiteral("-sk"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                    QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                    QStringLiteral("https://127.0.0.1:%1/snapshot").arg(server.tlsPort())});
        QVERIFY(curl.waitForFinished(10000));
        QCOMPARE(curl.readAllStandardOutput(), QByteArray("200"));
    }
}

// An HTTPS viewer's skipped frames count in the server's totals as a plain viewer's do, while
// it is connected and after it has left.
void TestHardening::httpsDroppedFramesCounted()
{
    if (const QString why = TestSupport::httpsUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QTemporaryDir dir;
    QString cert, key;
    QVERIFY(TestSupport::makeCertificate(dir, &cert, &key));
    AppProcess server;
    QVERIFY2(startServer(server,
                         {QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key,
                          QStringLiteral("--tls-port"), QStringLiteral("0")}),
             qPrintable(server.output()));
    StalledTlsViewer viewer;
    QVERIFY(viewer.open(server.tlsPort(), get("/stream")));
    const QString self = QStringLiteral("127.0.0.1");
    double dropped = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        (dropped = viewerIn(statusJson(server.port()), self, viewer.localPort())
                       .value(QLatin1String("frames_dropped"))
                       .toDouble())
            > 0,
        20000);
    const QByteArray total = "frames_dropped_total{camera=\"main\",stage=\"viewer\"}";
    QVERIFY2(metric(server.port(), total) >= dropped,
             qPrintable(QStringLiteral("%1 < %2").arg(metric(server.port(), total)).arg(dropped)));
    viewer.close();
    QTRY_VERIFY_WITH_TIMEOUT(
        viewerIn(statusJson(server.port()), self, viewer.localPort()).isEmpty(), 10000);
    QVERIFY2(metric(server.port(), total) >= dropped,
             qPrintable(QStringLiteral("%1 < %2").arg(metric(server.port(), total)).arg(dropped)));
}

// Requests over HTTPS go the way plain ones do: a trusted proxy's X-Forwarded-For names the
// viewer, and a bad request is logged.
void TestHardening::httpsLikePlain()
{
    if (const QString why = TestSupport::httpsUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QTemporaryDir dir;
    QString cert, key;
    QVERIFY(TestSupport::makeCertificate(dir, &cert, &key));
    AppProcess server;
    server.setEnvironment(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("kiosk.http=true"));
    QVERIFY2(startServer(server,
                         {QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key,
                          QStringLiteral("--tls-port"), QStringLiteral("0"),
                          QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1")}),
             qPrintable(server.output()));
    StalledTlsViewer viewer;
    QVERIFY(viewer.open(server.tlsPort(), get("/stream", "X-Forwarded-For: 203.0.113.9\r\n")));
    QTRY_VERIFY_WITH_TIMEOUT(
        !viewerIn(statusJson(server.port()), QStringLiteral("203.0.113.9"), 0).isEmpty(), 10000);
    StalledTlsViewer bad;
    QVERIFY(bad.open(server.tlsPort(), "GET /a b c HTTP/1.1\r\n\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT(server.output().contains(QLatin1String("bad request:")), 10000);
}

void TestHardening::badOptions_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("allow: not a network") << QStringList{"--allow", "192.168.0.0/33"};
    QTest::newRow("allow: a name") << QStringList{"--allow", "lan"};
    QTest::newRow("password file missing") << QStringList{"--password-file", "/nonexistent/pw"};
    QTest::newRow("password and password file")
        << QStringList{"--password", "a", "--password-file", "/etc/hostname"};
    QTest::newRow("short token") << QStringList{"--token", "abc"};
    QTest::newRow("user with colon") << QStringList{"--user", "a:b"};
    QTest::newRow("origin with a line break")
        << QStringList{"--allow-origin", "x\r\nSet-Cookie: a=b"};
    QTest::newRow("certificate without key") << QStringList{"--tls-cert", "/etc/hostname"};
    QTest::newRow("negative per-address cap") << QStringList{"--max-clients-per-address", "-1"};
    QTest::newRow("client buffer not a number") << QStringList{"--client-buffer", "lots"};
}

void TestHardening::badOptions()
{
    QFETCH(QStringList, options);
    AppProcess app;
    app.setSeparateChannels();
    app.start(QStringList{"--headless", "--port", "0"} + options);
    QVERIFY(app.waitForExit());
    QCOMPARE(app.process().exitCode(), 2);
    QVERIFY(!app.process().readAllStandardError().isEmpty());
}

void TestHardening::shutdownClosesViewers_data()
{
    QTest::addColumn<int>("signo");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestHardening::shutdownClosesViewers()
{
    QFETCH(int, signo);
    AppProcess server;
    QVERIFY(startServer(server, {}));
    std::vector<RawSocket> viewers(3);
    for (RawSocket &viewer : viewers) {
        QVERIFY(viewer.connectTo(server.port()));
        QVERIFY(viewer.send(get("/stream")));
    }
    RawSocket idle; // keep-alive, between requests
    QVERIFY(idle.connectTo(server.port()));
    QVERIFY(idle.send("GET /status HTTP/1.1\r\n\r\n"));
    QByteArray seen[3];
    for (int i = 0; i < 3; ++i)
        seen[i] = viewers[i].readUntil(
            [](const QByteArray &d) { return checkStream(d).parts >= 3; }, 5000);
    const qint64 ms = server.terminate(signo, 10000);
    QVERIFY2(ms >= 0, "the server did not exit");
    qInfo() << "exited" << ms << "ms after the signal";
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    QVERIFY2(ms < 1000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
    for (int i = 0; i < 3; ++i) {
        bool closed = false;
        seen[i] += viewers[i].readAll(2000, &closed);
        QVERIFY(closed);
        const StreamCheck check = checkStream(seen[i]);
        QVERIFY2(check.error.isEmpty(), qPrintable(check.error));
        QVERIFY2(check.closed, "each stream ends with its closing delimiter");
    }
    bool closed = false;
    idle.readAll(2000, &closed);
    QVERIFY(closed);
}

QTEST_GUILESS_MAIN(TestHardening)
#include "test_hardening.moc"
