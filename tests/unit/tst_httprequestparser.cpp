#include "http/httprequest.h"

#include <QTest>

using State = HttpRequestParser::State;

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void completeRequest();
    void byteByByte();
    void bareLineFeeds();
    void oversizedHead();
    void tooManyHeaders();
    void malformed_data();
    void malformed();
    void absoluteForm();
    void pipelined();
    void bodySkipped();
    void bodySkippedAcrossPackets();
    void bodyTooLarge();
    void resetForNextRequest();
    void keepAlive_data();
    void keepAlive();
    void basicAuth_data();
    void basicAuth();
    void queryValue();
    void percentDecodedPath();
};

void TestHttpRequestParser::completeRequest()
{
    HttpRequestParser parser;
    const QByteArray request = "GET /stream?fps=5 HTTP/1.1\r\nHost: kiosk:8080\r\n"
                               "User-Agent:   curl/7.88  \r\nAccept: */*\r\n\r\n";
    QCOMPARE(parser.feed(request), request.size());
    QCOMPARE(parser.state(), State::Complete);
    const HttpRequest &r = parser.request();
    QCOMPARE(r.method, QByteArray("GET"));
    QCOMPARE(r.target, QByteArray("/stream?fps=5"));
    QCOMPARE(r.path, QByteArray("/stream"));
    QCOMPARE(r.query, QByteArray("fps=5"));
    QCOMPARE(r.versionMinor, 1);
    QCOMPARE(r.headers.size(), 3);
    QCOMPARE(r.header("host"), QByteArray("kiosk:8080"));
    QCOMPARE(r.header("user-agent"), QByteArray("curl/7.88")); // trimmed, name lower-cased
    QCOMPARE(r.header("accept"), QByteArray("*/*"));
    QVERIFY(r.header("missing").isEmpty());
}

void TestHttpRequestParser::byteByByte()
{
    HttpRequestParser parser;
    const QByteArray request = "GET /status HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n";
    for (qsizetype i = 0; i < request.size(); ++i) {
        QCOMPARE(parser.state(), State::Incomplete);
        QCOMPARE(parser.feed(request.constData() + i, 1), 1);
    }
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.request().path, QByteArray("/status"));
    QCOMPARE(parser.request().versionMinor, 0);
    QCOMPARE(parser.request().header("connection"), QByteArray("keep-alive"));
    // Nothing more is taken once a request is complete.
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), 0);
}

void TestHttpRequestParser::bareLineFeeds()
{
    HttpRequestParser parser;
    const QByteArray request = "GET /snapshot HTTP/1.1\nHost: x\nX-A: 1\r\n\n";
    QCOMPARE(parser.feed(request), request.size());
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.request().path, QByteArray("/snapshot"));
    QCOMPARE(parser.request().header("host"), QByteArray("x"));
    QCOMPARE(parser.request().header("x-a"), QByteArray("1"));
}

void TestHttpRequestParser::oversizedHead()
{
    HttpLimits limits;
    limits.maxHeadBytes = 1024;
    {
        // In one piece.
        HttpRequestParser parser(limits);
        const QByteArray request = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(2000, 'a') + "\r\n\r\n";
        parser.feed(request);
        QCOMPARE(parser.state(), State::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }
    {
        // Trickled in small pieces, never ending the head: the parser stops at its limit.
        HttpRequestParser parser(limits);
        parser.feed("GET / HTTP/1.1\r\n");
        const QByteArray piece = "X-Pad: " + QByteArray(50, 'b') + "\r\n";
        int pieces = 0;
        while (parser.state() == State::Incomplete && pieces < 1000) {
            parser.feed(piece);
            ++pieces;
        }
        QCOMPARE(parser.state(), State::Error);
        QCOMPARE(parser.errorStatus(), 431);
        QVERIFY(pieces * piece.size() <= limits.maxHeadBytes + piece.size());
    }
    {
        // Exactly at the limit is still fine.
        HttpRequestParser parser(limits);
        const QByteArray start = "GET / HTTP/1.1\r\nX-Fill: ";
        const QByteArray request
            = start + QByteArray(limits.maxHeadBytes - start.size() - 4, 'c') + "\r\n\r\n";
        QCOMPARE(request.size(), limits.maxHeadBytes);
        QCOMPARE(parser.feed(request), request.size());
        QCOMPARE(parser.state(), State::Complete);
    }
}

void TestHttpRequestParser::tooManyHeaders()
{
    HttpLimits limits;
    limits.maxHeaders = 10;
    QByteArray request = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 10; ++i)
        request += "X-H" + QByteArray::number(i) + ": v\r\n";
    {
        HttpRequestParser parser(limits);
        parser.feed(request + "\r\n");
        QCOMPARE(parser.state(), State::Complete);
    }
    {
        HttpRequestParser parser(limits);
        parser.feed(request + "X-One-Too-Many: v\r\n\r\n");
        QCOMPARE(parser.state(), State::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }
}

void TestHttpRequestParser::malformed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("two words") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("four words") << QByteArray("GET / x HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("blank request") << QByteArray("\r\n\r\n") << 400;
    QTest::newRow("method with slash") << QByteArray("GE/T / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("method with colon") << QByteArray("GET: / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\n\r\n") << 400;
    QTest::newRow("version garbage") << QByteArray("GET / HTTP/1.x1\r\n\r\n") << 400;
    QTest::newRow("no minor") << QByteArray("GET / HTTP/1\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\n\r\n") << 505;
    QTest::newRow("HTTP/0.9") << QByteArray("GET / HTTP/0.9\r\n\r\n") << 505;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << 400;
    QTest::newRow("header empty name") << QByteArray("GET / HTTP/1.1\r\n: v\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
    QTest::newRow("control in value") << QByteArray("GET / HTTP/1.1\r\nA: b\x01"
                                                    "c\r\n\r\n")
                                      << 400;
    QTest::newRow("NUL in value") << QByteArray("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 27) << 400;
    QTest::newRow("NUL in target") << QByteArray("GET /a\0b HTTP/1.1\r\n\r\n", 22) << 400;
    QTest::newRow("encoded NUL in target") << QByteArray("GET /a%00b HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("8-bit target") << QByteArray("GET /\xc3\xa9 HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("dot-dot") << QByteArray("GET /../etc/passwd HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("dot-dot inside") << QByteArray("GET /a/../stream HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("encoded dot-dot") << QByteArray("GET /%2e%2e/x HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("dot-dot at end") << QByteArray("GET /a/.. HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("relative target") << QByteArray("GET stream HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("ftp absolute") << QByteArray("GET ftp://h/x HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("asterisk") << QByteArray("OPTIONS * HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("bad content-length")
        << QByteArray("GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::newRow("negative content-length")
        << QByteArray("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::newRow("conflicting content-lengths")
        << QByteArray("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << 400;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                             << 501;
}

void TestHttpRequestParser::malformed()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    HttpRequestParser parser;
    parser.feed(request);
    QCOMPARE(parser.state(), State::Error);
    QCOMPARE(parser.errorStatus(), status);
    QVERIFY(!parser.errorReason().isEmpty());
    // An error is final.
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), 0);
    QCOMPARE(parser.state(), State::Error);
}

void TestHttpRequestParser::absoluteForm()
{
    HttpRequestParser parser;
    parser.feed(
        "GET http://kiosk.local:8080/stream?fps=2&x=1 HTTP/1.1\r\nHost: kiosk.local\r\n\r\n");
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.request().path, QByteArray("/stream"));
    QCOMPARE(parser.request().query, QByteArray("fps=2&x=1"));
    QCOMPARE(parser.request().target, QByteArray("http://kiosk.local:8080/stream?fps=2&x=1"));

    HttpRequestParser noPath;
    noPath.feed("GET http://kiosk.local HTTP/1.1\r\n\r\n");
    QCOMPARE(noPath.state(), State::Complete);
    QCOMPARE(noPath.request().path, QByteArray("/"));

    HttpRequestParser dotDot;
    dotDot.feed("GET http://h/a/%2e%2e/b HTTP/1.1\r\n\r\n");
    QCOMPARE(dotDot.state(), State::Error);
    QCOMPARE(dotDot.errorStatus(), 400);
}

void TestHttpRequestParser::pipelined()
{
    const QByteArray first = "GET /status HTTP/1.1\r\nHost: a\r\n\r\n";
    const QByteArray second = "HEAD /snapshot HTTP/1.1\r\n\r\n";
    const QByteArray third = "GET /stream HTTP/1.1\r\nHost: a\r\n\r\n";
    const QByteArray all = first + second + third;
    HttpRequestParser parser;
    qsizetype at = 0;
    qsizetype used = parser.feed(all);
    QCOMPARE(used, first.size());
    QCOMPARE(parser.request().path, QByteArray("/status"));
    at += used;
    parser.reset();
    used = parser.feed(all.mid(at));
    QCOMPARE(used, second.size());
    QCOMPARE(parser.request().method, QByteArray("HEAD"));
    QCOMPARE(parser.request().path, QByteArray("/snapshot"));
    at += used;
    parser.reset();
    // The last one split in two packets, the split inside the terminating CRLF CRLF.
    const QByteArray rest = all.mid(at);
    QCOMPARE(parser.feed(rest.left(rest.size() - 1)), rest.size() - 1);
    QCOMPARE(parser.state(), State::Incomplete);
    QCOMPARE(parser.feed(rest.right(1)), 1);
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.request().path, QByteArray("/stream"));
}

void TestHttpRequestParser::bodySkipped()
{
    const QByteArray first = "POST /status HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world";
    const QByteArray second = "GET / HTTP/1.1\r\n\r\n";
    HttpRequestParser parser;
    QCOMPARE(parser.feed(first + second), first.size());
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.request().method, QByteArray("POST"));
    parser.reset();
    QCOMPARE(parser.feed(second), second.size());
    QCOMPARE(parser.request().path, QByteArray("/"));
}

void TestHttpRequestParser::bodySkippedAcrossPackets()
{
    const QByteArray head = "PUT / HTTP/1.1\r\nContent-Length: 10\r\n\r\n";
    HttpRequestParser parser;
    QCOMPARE(parser.feed(head + "abcd"), head.size() + 4);
    QCOMPARE(parser.state(), State::Incomplete);
    QCOMPARE(parser.feed("efg"), 3);
    QCOMPARE(parser.state(), State::Incomplete);
    // Three body bytes left; the rest is the next request.
    QCOMPARE(parser.feed("hijGET / HTTP/1.1\r\n\r\n"), 3);
    QCOMPARE(parser.state(), State::Complete);
}

void TestHttpRequestParser::bodyTooLarge()
{
    HttpLimits limits;
    limits.maxBodyBytes = 100;
    HttpRequestParser parser(limits);
    parser.feed("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n");
    QCOMPARE(parser.state(), State::Error);
    QCOMPARE(parser.errorStatus(), 413);
}

void TestHttpRequestParser::resetForNextRequest()
{
    HttpRequestParser parser;
    parser.feed("GET /a HTTP/1.1\r\nX: 1\r\n\r\n");
    QCOMPARE(parser.state(), State::Complete);
    parser.reset();
    QCOMPARE(parser.state(), State::Incomplete);
    parser.feed("GET /b HTTP/1.1\r\n\r\n");
    QCOMPARE(parser.request().path, QByteArray("/b"));
    QVERIFY(parser.request().headers.isEmpty());
}

void TestHttpRequestParser::keepAlive_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")
                               << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true;
}

void TestHttpRequestParser::keepAlive()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, keepAlive);
    HttpRequestParser parser;
    parser.feed(request);
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.request().keepAlive(), keepAlive);
}

void TestHttpRequestParser::basicAuth_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QByteArray>("password");
    QTest::newRow("plain") << "Basic " + QByteArray("viewer:s3cret").toBase64() << true
                           << QByteArray("viewer") << QByteArray("s3cret");
    QTest::newRow("lower-case scheme")
        << "basic " + QByteArray("a:b").toBase64() << true << QByteArray("a") << QByteArray("b");
    QTest::newRow("colon in password") << "Basic " + QByteArray("u:p:q").toBase64() << true
                                       << QByteArray("u") << QByteArray("p:q");
    QTest::newRow("empty password")
        << "Basic " + QByteArray("u:").toBase64() << true << QByteArray("u") << QByteArray("");
    QTest::newRow("utf-8") << "Basic " + QByteArray("j\xc3\xbcrg:p\xc3\xa4ss").toBase64() << true
                           << QByteArray("j\xc3\xbcrg") << QByteArray("p\xc3\xa4ss");
    QTest::newRow("no colon") << "Basic " + QByteArray("user").toBase64() << false << QByteArray()
                              << QByteArray();
    QTest::newRow("bad base64") << QByteArray("Basic !!!!") << false << QByteArray()
                                << QByteArray();
    QTest::newRow("bearer") << QByteArray("Bearer abc") << false << QByteArray() << QByteArray();
    QTest::newRow("scheme only") << QByteArray("Basic") << false << QByteArray() << QByteArray();
    QTest::newRow("absent") << QByteArray() << false << QByteArray() << QByteArray();
}

void TestHttpRequestParser::basicAuth()
{
    QFETCH(QByteArray, authorization);
    QFETCH(bool, valid);
    HttpRequestParser parser;
    QByteArray request = "GET / HTTP/1.1\r\n";
    if (!authorization.isEmpty())
        request += "Authorization: " + authorization + "\r\n";
    parser.feed(request + "\r\n");
    QCOMPARE(parser.state(), State::Complete);
    const auto credentials = parser.request().basicAuth();
    QCOMPARE(credentials.has_value(), valid);
    if (valid) {
        QTEST(credentials->user, "user");
        QTEST(credentials->password, "password");
    }
}

void TestHttpRequestParser::queryValue()
{
    HttpRequestParser parser;
    parser.feed("GET /stream?fps=12.5&name=a%20b+c&flag&empty=&fps=99 HTTP/1.1\r\n\r\n");
    const HttpRequest &r = parser.request();
    QCOMPARE(r.queryValue("fps"), std::optional<QByteArray>("12.5")); // the first one counts
    QCOMPARE(r.queryValue("name"), std::optional<QByteArray>("a b c"));
    QCOMPARE(r.queryValue("flag"), std::optional<QByteArray>(""));
    QCOMPARE(r.queryValue("empty"), std::optional<QByteArray>(""));
    QVERIFY(!r.queryValue("nope"));

    HttpRequestParser none;
    none.feed("GET /stream HTTP/1.1\r\n\r\n");
    QVERIFY(!none.request().queryValue("fps"));
}

void TestHttpRequestParser::percentDecodedPath()
{
    HttpRequestParser parser;
    parser.feed("GET /%73tream?a=%41 HTTP/1.1\r\n\r\n");
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.request().path, QByteArray("/stream"));
    QCOMPARE(parser.request().query, QByteArray("a=%41")); // raw
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
