// libFuzzer target: HttpRequestParser fed the same bytes whole and in random pieces. Whatever
// the split, it must read the same requests (pipelined ones included), never accept a target
// with a ".." segment or a NUL, and fail only with the statuses it documents.
#include "http/httprequest.h"

#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
struct Outcome
{
    HttpRequestParser::State state;
    int errorStatus;
    QByteArray method, path, query;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool operator==(const Outcome &o) const
    {
        return state == o.state && errorStatus == o.errorStatus && method == o.method
            && path == o.path && query == o.query && headers == o.headers;
    }
};

// An invariant broken: say which, then abort (what libFuzzer and the replay driver catch).
void checkAt(bool condition, const char *what, int line)
{
    if (condition)
        return;
    std::fprintf(stderr, "invariant broken at line %d: %s\n", line, what);
    std::abort();
}
#define check(condition) checkAt((condition), #condition, __LINE__)

// Parses every request in data; pieces come from `nextPiece` (0: all that is left).
template<typename Pieces> QList<Outcome> parseAll(const QByteArray &data, Pieces &&nextPiece)
{
    HttpRequestParser::Limits limits;
    limits.maxHeadBytes = 1024; // small, so that the fuzzer reaches the limits
    limits.maxHeaders = 16;
    limits.maxBodyBytes = 256;
    HttpRequestParser parser(limits);
    QList<Outcome> outcomes;
    QByteArray pending;
    qsizetype at = 0;
    while (at < data.size() || !pending.isEmpty()) {
        if (at < data.size()) {
            const qsizetype piece = qMin<qsizetype>(nextPiece(), data.size() - at);
            pending += data.mid(at, piece);
            at += piece;
        }
        const qsizetype used = parser.feed(pending);
        check(used >= 0 && used <= pending.size());
        pending.remove(0, used);
        if (parser.state() == HttpRequestParser::State::Incomplete) {
            if (at >= data.size())
                break;
            continue;
        }
        const HttpRequest &r = parser.request();
        Outcome outcome{parser.state(), parser.errorStatus(), r.method, r.path, r.query, r.headers};
        outcomes.append(outcome);
        if (parser.state() == HttpRequestParser::State::Error) {
            const int s = parser.errorStatus();
            check(s == 400 || s == 413 || s == 431 || s == 501 || s == 505);
            break;
        }
        check(!r.method.isEmpty() && r.path.startsWith('/') && !r.path.contains('\0'));
        for (const QByteArray &segment : r.path.split('/'))
            check(segment != "..");
        check(r.headers.size() <= limits.maxHeaders);
        parser.reset();
    }
    return outcomes;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    // The input is what a client sends; its size and first byte seed the split.
    uint32_t seed = uint32_t(size) * 2654435761u + (size ? bytes[0] : 0);
    const QByteArray data(reinterpret_cast<const char *>(bytes), qsizetype(size));
    const QList<Outcome> whole
        = parseAll(data, [] { return std::numeric_limits<qsizetype>::max(); });
    const QList<Outcome> split = parseAll(data, [&seed] {
        seed = seed * 1103515245u + 12345u;
        return qsizetype(1 + (seed >> 16) % 97);
    });
    check(whole == split);
    return 0;
}
