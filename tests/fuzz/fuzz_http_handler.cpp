// libFuzzer target: the whole request-to-response path without sockets: bytes → parser →
// RequestHandler::handle (or the error answer) with a fixed server state. Every answer must be
// a well-formed HTTP/1.1 head with a known status, a Content-Length that matches its body, and
// never the secrets.
#include "http/httprequest.h"
#include "http/requesthandler.h"

#include <QImage>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
// An invariant broken: say which, then abort (what libFuzzer and the replay driver catch).
void checkAt(bool condition, const char *what, int line)
{
    if (condition)
        return;
    std::fprintf(stderr, "invariant broken at line %d: %s\n", line, what);
    std::abort();
}
#define check(condition) checkAt((condition), #condition, __LINE__)

const RequestHandler &handler()
{
    static const RequestHandler h("<html>viewer</html>", "*");
    return h;
}

const RequestHandler::State &state()
{
    static const RequestHandler::State s = [] {
        RequestHandler::State st;
        st.streaming = true;
        const QByteArray jpeg("\xff\xd8 not really a jpeg \xff\xd9");
        st.latest = StreamFrame::from(Frame(1, 1700000000000000, jpeg, QSize(16, 16), true));
        st.status = std::make_shared<const ServerStatus>();
        st.credentials = std::make_shared<const Credentials>(
            Credentials{"viewer", "pw-Secret-1", "tok-Secret-2"});
        return st;
    }();
    return s;
}

void checkResponse(const HttpResponse &response, const HttpRequest *request, bool secretsSent)
{
    static const QList<int> known{200, 204, 400, 401, 403, 404, 405, 413, 431, 501, 503, 505};
    check(known.contains(response.status));
    const QByteArray &head = response.head;
    check(head.startsWith("HTTP/1.1 " + QByteArray::number(response.status) + ' '));
    check(head.endsWith("\r\n\r\n") && head.indexOf("\r\n\r\n") == head.size() - 4);
    // Nothing from the request may break the head into extra lines or fields.
    check(!head.contains('\0'));
    QList<QByteArray> lines = head.left(head.size() - 2).split('\n');
    lines.removeLast(); // after the last LF
    for (const QByteArray &line : std::as_const(lines))
        check(line.endsWith('\r') && line.indexOf('\r') == line.size() - 1);
    const qsizetype at = head.indexOf("\r\nContent-Length: ");
    if (at >= 0 && !(request && request->method == "HEAD")) {
        const qsizetype end = head.indexOf("\r\n", at + 2);
        check(head.mid(at + 18, end - at - 18).toLongLong() == response.body.size());
    }
    // An answer may echo the path (404), never a secret the client did not send itself.
    check(secretsSent || (!head.contains("Secret") && !response.body.contains("Secret")));
    check(!response.startsStream || response.status == 200);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char *>(bytes), qsizetype(size));
    const bool secretsSent = input.contains("Secret");
    HttpRequestParser parser;
    parser.feed(input);
    switch (parser.state()) {
    case HttpRequestParser::State::Incomplete:
        break;
    case HttpRequestParser::State::Error:
        checkResponse(RequestHandler::error(parser.errorStatus(), parser.errorReason()), nullptr,
                      secretsSent);
        break;
    case HttpRequestParser::State::Complete:
        checkResponse(handler().handle(parser.request(), state()), &parser.request(), secretsSent);
        break;
    }
    return 0;
}
