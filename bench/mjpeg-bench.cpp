// mjpeg-bench: opens N concurrent viewers of an HTTP multipart/x-mixed-replace MJPEG stream,
// checks the framing strictly and reports delivered fps, throughput, latency and the server's
// CPU/RSS.  Plain C++17 + Linux epoll, no Qt.  Usage and column meanings: docs/benchmarks.md.
//
// Design notes (why it is cheap enough not to be the bottleneck):
//  * a few threads (default 2), each owning a strided share of the connections and its own epoll;
//  * header bytes are parsed incrementally from a per-thread scratch buffer; only an incomplete
//    header line is ever copied into per-connection state, JPEG bodies never are;
//  * only the first and last two bytes of each JPEG are inspected (FF D8 .. FF D9);
//  * the default --recv-mode copy reads with 256 KiB recv()s, like a real client.  --recv-mode
//    discard drops the middle of each JPEG inside the kernel with recv(MSG_TRUNC) (tcp(7)), which
//    is cheaper but changes when the client ACKs: against a server that leaves Nagle on
//    (ustreamer without --tcp-nodelay) that turns into ~40 ms delayed-ACK stalls a normal client
//    mostly does not see, so it is not the default.
//
// Why its own MJPEG parser and not the tests' one (tests/support/multipartreader.h): that one is
// Qt (QByteArray, a copy of every part kept for the test to look at) and deliberately rejects
// any framing but the kiosk's exact one. This tool builds without Qt (standalone, see
// CMakeLists.txt), must parse a thousand streams without copying a JPEG so as not to become the
// bottleneck it measures, and also reads other servers' framing (ustreamer's) for comparisons.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr size_t kScratchSize = 256 * 1024; // one recv() in copy mode
constexpr size_t kSmallRead = 4096; // discard mode: JPEG tail + next part's headers
constexpr size_t kMaxLine = 8192; // longest header line accepted
constexpr size_t kMaxBody = 64u << 20; // largest Content-Length accepted
constexpr int kMaxPartHeaders = 64;
constexpr int kMaxBlankLines = 8; // extra CRLFs tolerated before a delimiter line
constexpr int kReadsPerEvent = 16; // fairness: then move on to the next ready connection

// ---------------------------------------------------------------------------------------------
// Small helpers

double clockNow(clockid_t id)
{
    timespec ts{};
    clock_gettime(id, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double monoNow()
{
    return clockNow(CLOCK_MONOTONIC);
}

void sleepUntil(double monoTime)
{
    timespec ts{};
    ts.tv_sec = time_t(monoTime);
    ts.tv_nsec = long((monoTime - double(ts.tv_sec)) * 1e9);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) { }
}

std::string format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i]))
            != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

bool parseUnsigned(std::string_view s, uint64_t max, uint64_t &out)
{
    if (s.empty() || s.size() > 19)
        return false;
    uint64_t v = 0;
    for (char ch : s) {
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + uint64_t(ch - '0');
    }
    if (v > max)
        return false;
    out = v;
    return true;
}

// Seconds with an optional fraction ("1795604808.463000"); nothing else (no sign, no exponent).
bool parseSeconds(std::string_view s, double &out)
{
    if (s.empty() || s.size() > 40)
        return false;
    int dots = 0, digits = 0;
    for (char ch : s) {
        if (ch == '.')
            ++dots;
        else if (ch >= '0' && ch <= '9')
            ++digits;
        else
            return false;
    }
    if (dots > 1 || digits == 0)
        return false;
    char buf[48];
    memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    out = strtod(buf, nullptr);
    return std::isfinite(out);
}

bool parseDoubleArg(const std::string &s, double &out)
{
    char *end = nullptr;
    errno = 0;
    out = strtod(s.c_str(), &end);
    return !s.empty() && errno == 0 && *end == '\0' && std::isfinite(out);
}

bool parseIntArg(const std::string &s, long lo, long hi, long &out)
{
    char *end = nullptr;
    errno = 0;
    out = strtol(s.c_str(), &end, 10);
    return !s.empty() && errno == 0 && *end == '\0' && out >= lo && out <= hi;
}

// ---------------------------------------------------------------------------------------------
// Command line

struct Options
{
    std::string url;
    std::string host, port = "80", hostHeader, target = "/";
    long viewers = 1;
    double duration = 10;
    double warmup = 2;
    double rampRate = 1000; // connection attempts per second
    double connectTimeout = 5;
    long threads = 0; // 0: automatic
    long pid = 0;
    std::string csvPath, label;
    bool json = false;
    bool copyBodies = true;
};

const char kUsage[] =
    R"(Usage: mjpeg-bench [options] URL
Opens N concurrent viewers of an HTTP multipart/x-mixed-replace MJPEG stream
(URL like http://127.0.0.1:8080/stream), checks the framing strictly and
reports per-viewer fps, throughput, latency and the server's CPU and RSS.

Options (value as "--opt V" or "--opt=V"):
  -n, --viewers N          concurrent viewers (default 1)
  -t, --duration S         measured window in seconds (default 10)
      --warmup S           seconds between the last connect attempt and the
                           start of the window; frames before are not counted
                           (default 2)
      --ramp-rate R        connect attempts per second (default 1000)
      --connect-timeout S  for TCP connect, then again for the response
                           headers (default 5)
      --threads K          client threads, each with its own epoll
                           (default 2, 1 for a single viewer)
      --recv-mode M        copy (default): 256 KiB recv()s like a real client;
                           discard: drop JPEG bodies in the kernel with
                           recv(MSG_TRUNC), cheaper, but alters TCP ACK timing
                           (inflates latency of servers that leave Nagle on)
      --pid PID            server process: report its CPU % over the window
                           (minus its "fakecam*" threads), peak VmRSS, VmHWM
      --label NAME         name of the server under test (CSV/JSON)
      --csv FILE           append one result row (header if the file is new)
      --json               print one JSON object instead of the table
  -h, --help               this text

Exit status: 0 ok; 1 framing errors or no viewer connected; 2 bad usage.
)";

[[noreturn]] void usageError(const std::string &msg)
{
    fprintf(stderr, "mjpeg-bench: %s\nTry 'mjpeg-bench --help'.\n", msg.c_str());
    exit(2);
}

bool parseUrl(const std::string &url, Options &o, std::string &err)
{
    const std::string scheme = "http://";
    if (url.compare(0, scheme.size(), scheme) != 0) {
        err = "only http:// URLs are supported: " + url;
        return false;
    }
    const std::string rest = url.substr(scheme.size());
    const size_t slash = rest.find_first_of("/?#");
    const std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) {
        o.target = rest.substr(slash);
        if (o.target[0] == '?')
            o.target.insert(0, "/");
        o.target = o.target.substr(0, o.target.find('#'));
    }
    std::string portText;
    if (!authority.empty() && authority[0] == '[') { // [IPv6]:port
        const size_t close = authority.find(']');
        if (close == std::string::npos) {
            err = "bad IPv6 address in URL";
            return false;
        }
        o.host = authority.substr(1, close - 1);
        const std::string after = authority.substr(close + 1);
        if (!after.empty() && after[0] != ':') {
            err = "bad URL authority: " + authority;
            return false;
        }
        portText = after.empty() ? "" : after.substr(1);
    } else {
        const size_t colon = authority.rfind(':');
        o.host = authority.substr(0, colon);
        portText = colon == std::string::npos ? "" : authority.substr(colon + 1);
    }
    long port = 80;
    if (o.host.empty() || (!portText.empty() && !parseIntArg(portText, 1, 65535, port))) {
        err = "bad host or port in URL: " + url;
        return false;
    }
    o.port = std::to_string(port);
    o.hostHeader = authority;
    return true;
}

Options parseArgs(int argc, char **argv)
{
    Options o;
    std::vector<std::string> positional;
    auto number = [](const std::string &name, const std::string &v, double lo) {
        double d = 0;
        if (!parseDoubleArg(v, d) || d < lo)
            usageError(format("%s needs a number >= %g, not '%s'", name.c_str(), lo, v.c_str()));
        return d;
    };
    auto integer = [](const std::string &name, const std::string &v, long lo, long hi) {
        long n = 0;
        if (!parseIntArg(v, lo, hi, n))
            usageError(format("%s needs an integer in [%ld, %ld], not '%s'", name.c_str(), lo, hi,
                              v.c_str()));
        return n;
    };
    using Setter = std::function<void(const std::string &name, const std::string &value)>;
    struct Spec
    {
        const char *longName;
        const char *shortName;
        bool takesValue;
        Setter set;
    };
    const std::vector<Spec> specs = {
        {"--viewers", "-n", true, [&](auto &n, auto &v) { o.viewers = integer(n, v, 1, 1000000); }},
        {"--duration", "-t", true, [&](auto &n, auto &v) { o.duration = number(n, v, 0.1); }},
        {"--warmup", nullptr, true, [&](auto &n, auto &v) { o.warmup = number(n, v, 0); }},
        {"--ramp-rate", nullptr, true, [&](auto &n, auto &v) { o.rampRate = number(n, v, 1); }},
        {"--connect-timeout", nullptr, true,
         [&](auto &n, auto &v) { o.connectTimeout = number(n, v, 0.1); }},
        {"--threads", nullptr, true, [&](auto &n, auto &v) { o.threads = integer(n, v, 1, 64); }},
        {"--recv-mode", nullptr, true,
         [&](auto &, auto &v) {
             if (v != "discard" && v != "copy")
                 usageError("--recv-mode is 'discard' or 'copy', not '" + v + "'");
             o.copyBodies = v == "copy";
         }},
        {"--pid", nullptr, true, [&](auto &n, auto &v) { o.pid = integer(n, v, 1, 1L << 30); }},
        {"--label", nullptr, true, [&](auto &, auto &v) { o.label = v; }},
        {"--csv", nullptr, true, [&](auto &, auto &v) { o.csvPath = v; }},
        {"--json", nullptr, false, [&](auto &, auto &) { o.json = true; }},
        {"--help", "-h", false,
         [&](auto &, auto &) {
             fputs(kUsage, stdout);
             exit(0);
         }},
    };
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i], value;
        bool inlineValue = false;
        if (arg.size() > 1 && arg[0] == '-') {
            const size_t eq = arg.find('=');
            if (arg.compare(0, 2, "--") == 0 && eq != std::string::npos) {
                value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
                inlineValue = true;
            }
            auto spec = std::find_if(specs.begin(), specs.end(), [&](const Spec &s) {
                return arg == s.longName || (s.shortName && arg == s.shortName);
            });
            if (spec == specs.end())
                usageError("unknown option '" + arg + "'");
            if (spec->takesValue && !inlineValue) {
                if (i + 1 >= argc)
                    usageError("option '" + arg + "' needs a value");
                value = argv[++i];
            } else if (!spec->takesValue && inlineValue) {
                usageError("option '" + arg + "' takes no value");
            }
            spec->set(arg, value);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 1)
        usageError(positional.empty() ? "missing URL" : "more than one URL given");
    o.url = positional[0];
    std::string err;
    if (!parseUrl(o.url, o, err))
        usageError(err);
    if (o.pid && access(format("/proc/%ld/stat", o.pid).c_str(), R_OK) != 0)
        usageError(format("--pid %ld: no such process", o.pid));
    if (o.threads == 0)
        o.threads = o.viewers > 1 && std::thread::hardware_concurrency() > 1 ? 2 : 1;
    o.threads = std::min(o.threads, o.viewers);
    return o;
}

// ---------------------------------------------------------------------------------------------
// Shared run parameters (read-only while the workers run)

struct Schedule
{
    double start = 0; // first connect attempt (CLOCK_MONOTONIC)
    double windowStart = 0; // warm-up ends
    double windowEnd = 0; // run ends
    bool inWindow(double t) const { return t >= windowStart && t < windowEnd; }
};

struct Target
{
    sockaddr_storage addr{};
    socklen_t addrLen = 0;
    std::string request;
};

// ---------------------------------------------------------------------------------------------
// Per-connection state and per-worker results

enum class State : uint8_t {
    Idle, // not yet attempted
    Connecting, // non-blocking connect() in flight
    StatusLine, // waiting for "HTTP/1.x 200 ..."
    Headers, // response headers
    Preamble, // before a delimiter line: only CRLFs allowed
    PartHeaders, // after "--boundary"
    Body, // Content-Length bytes of JPEG
    BodyEnd, // CRLF after the JPEG
    Closed,
};

struct Conn
{
    int fd = -1;
    State state = State::Idle;
    bool connected = false; // a valid 200 multipart response was seen
    bool haveContentType = false, haveLength = false, haveTimestamp = false, haveGrab = false;
    uint8_t crlfSeen = 0;
    uint8_t blankLines = 0;
    uint16_t headerLines = 0;
    size_t index = 0; // global viewer number, fixes the connect time
    double deadline = 0; // for connect / response headers
    std::string line; // bytes of an incomplete header line (never JPEG data)
    std::string delimiter, altDelimiter;
    size_t bodyLen = 0, bodyPos = 0;
    double timestamp = 0, grabTime = 0;
    uint64_t frames = 0; // completed inside the window
};

enum class Failure { Connect, Http, Framing, Disconnect };

struct WorkerResult
{
    uint64_t connected = 0, connectFailed = 0, httpErrors = 0, framingErrors = 0, disconnects = 0;
    uint64_t windowBytes = 0;
    std::vector<uint64_t> framesPerViewer; // one entry per connected viewer
    std::vector<float> latencyMs, grabLatencyMs;
    std::string firstConnectError, firstHttpError, firstFramingError, firstDisconnect;
};

// Receipt time of one recv(): monotonic always, wall clocks only when a frame completes.
struct ReadClock
{
    double mono = 0;
    double real = -1, raw = -1;
    double realNow()
    {
        if (real < 0)
            real = clockNow(CLOCK_REALTIME);
        return real;
    }
    double rawNow()
    {
        if (raw < 0)
            raw = clockNow(CLOCK_MONOTONIC_RAW);
        return raw;
    }
};

// ---------------------------------------------------------------------------------------------
// Worker: owns viewers t, t+K, t+2K, ... and one epoll instance.

class Worker
{
public:
    Worker(const Options &opt, const Target &target, const Schedule &sched, size_t first)
        : opt_(opt)
        , target_(target)
        , sched_(sched)
        , scratch_(kScratchSize)
    {
        for (size_t i = first; i < size_t(opt.viewers); i += size_t(opt.threads)) {
            conns_.emplace_back();
            conns_.back().index = i;
        }
        res_.latencyMs.reserve(size_t(opt.duration * 35) * conns_.size());
    }
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;
    ~Worker()
    {
        if (epoll_ >= 0)
            close(epoll_);
    }

    void run();
    WorkerResult &result() { return res_; }

private:
    void issueDueConnects(double now);
    void startConnect(Conn &c, double now);
    void onConnected(Conn &c, double now);
    void expireStalled(double now);
    int waitTimeoutMs(double now) const;
    void handleEvent(Conn &c, uint32_t events);
    void readFrom(Conn &c);
    bool consume(Conn &c, const char *p, size_t n, ReadClock &clk);
    bool consumeLine(Conn &c, const char *&p, const char *end);
    bool consumeBody(Conn &c, const char *&p, const char *end, ReadClock &clk);
    bool handleLine(Conn &c, std::string_view line);
    bool handleStatusLine(Conn &c, std::string_view line);
    bool handleResponseHeader(Conn &c, std::string_view line);
    bool handleDelimiter(Conn &c, std::string_view line);
    bool handlePartHeader(Conn &c, std::string_view line);
    bool parseContentType(Conn &c, std::string_view value);
    void frameDone(Conn &c, ReadClock &clk);
    bool fail(Conn &c, Failure kind, const std::string &why);
    void closeConn(Conn &c);

    const Options &opt_;
    const Target &target_;
    const Schedule &sched_;
    std::vector<Conn> conns_; // never resized after construction: epoll holds pointers
    std::vector<char> scratch_;
    size_t nextConnect_ = 0;
    int epoll_ = -1;
    WorkerResult res_;
};

void Worker::run()
{
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) {
        perror("mjpeg-bench: epoll_create1");
        exit(1);
    }
    std::vector<epoll_event> events(512);
    double nextScan = 0;
    for (;;) {
        const double now = monoNow();
        if (now >= sched_.windowEnd)
            break;
        issueDueConnects(now);
        if (now >= nextScan) {
            expireStalled(now);
            nextScan = now + 0.1;
        }
        const int n = epoll_wait(epoll_, events.data(), int(events.size()), waitTimeoutMs(now));
        if (n < 0 && errno != EINTR) {
            perror("mjpeg-bench: epoll_wait");
            exit(1);
        }
        for (int i = 0; i < n; ++i)
            handleEvent(*static_cast<Conn *>(events[size_t(i)].data.ptr), events[size_t(i)].events);
    }
    for (Conn &c : conns_) {
        if (c.connected)
            res_.framesPerViewer.push_back(c.frames);
        if (c.fd >= 0)
            closeConn(c); // end of run: not a disconnect
    }
}

double connectTime(const Schedule &s, const Options &o, size_t index)
{
    return s.start + double(index) / o.rampRate;
}

void Worker::issueDueConnects(double now)
{
    while (nextConnect_ < conns_.size()
           && connectTime(sched_, opt_, conns_[nextConnect_].index) <= now)
        startConnect(conns_[nextConnect_++], now);
}

int Worker::waitTimeoutMs(double now) const
{
    double until = std::min(sched_.windowEnd, now + 0.1); // 0.1 s: stalled-connection scan
    if (nextConnect_ < conns_.size())
        until = std::min(until, connectTime(sched_, opt_, conns_[nextConnect_].index));
    return std::max(0, int(std::ceil((until - now) * 1000)));
}

void Worker::startConnect(Conn &c, double now)
{
    c.fd = socket(target_.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
        fail(c, Failure::Connect, std::string("socket: ") + strerror(errno));
        return;
    }
    c.deadline = now + opt_.connectTimeout;
    if (connect(c.fd, reinterpret_cast<const sockaddr *>(&target_.addr), target_.addrLen) == 0) {
        onConnected(c, now);
        return;
    }
    if (errno != EINPROGRESS) {
        fail(c, Failure::Connect, std::string("connect: ") + strerror(errno));
        return;
    }
    c.state = State::Connecting;
    epoll_event ev{};
    ev.events = EPOLLOUT;
    ev.data.ptr = &c;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev) < 0)
        fail(c, Failure::Connect, std::string("epoll_ctl: ") + strerror(errno));
}

void Worker::onConnected(Conn &c, double now)
{
    const std::string &req = target_.request;
    const ssize_t sent = send(c.fd, req.data(), req.size(), MSG_NOSIGNAL);
    if (sent != ssize_t(req.size())) {
        fail(c, Failure::Connect, std::string("send request: ") + strerror(errno));
        return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &c;
    const int op = c.state == State::Connecting ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(epoll_, op, c.fd, &ev) < 0) {
        fail(c, Failure::Connect, std::string("epoll_ctl: ") + strerror(errno));
        return;
    }
    c.state = State::StatusLine;
    c.deadline = now + opt_.connectTimeout; // now for the response headers
}

void Worker::expireStalled(double now)
{
    for (Conn &c : conns_) {
        if (c.fd < 0 || c.connected || now < c.deadline)
            continue;
        if (c.state == State::Connecting)
            fail(c, Failure::Connect, format("connect timed out after %gs", opt_.connectTimeout));
        else
            fail(c, Failure::Http, format("no response headers within %gs", opt_.connectTimeout));
    }
}

void Worker::handleEvent(Conn &c, uint32_t events)
{
    if (c.fd < 0)
        return;
    if (c.state != State::Connecting) {
        readFrom(c);
        return;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err == 0 && (events & EPOLLERR))
        err = ECONNREFUSED;
    if (err != 0)
        fail(c, Failure::Connect, std::string("connect: ") + strerror(err));
    else
        onConnected(c, monoNow());
}

// Reads what is available (up to kReadsPerEvent recv()s) and feeds the parser.
void Worker::readFrom(Conn &c)
{
    for (int i = 0; i < kReadsPerEvent && c.fd >= 0; ++i) {
        // Discard mode: once the JPEG's first two bytes are checked, drop all but its last two
        // bytes in the kernel; the small reads then only copy tail + next headers.
        const bool skip = !opt_.copyBodies && c.state == State::Body && c.bodyPos >= 2
            && c.bodyLen - c.bodyPos > 2;
        size_t want = kScratchSize;
        if (skip) // never more than the buffer, even though MSG_TRUNC writes nothing to it
            want = std::min(kScratchSize, c.bodyLen - c.bodyPos - 2);
        else if (!opt_.copyBodies)
            want = std::min(kScratchSize,
                            (c.state == State::Body ? c.bodyLen - c.bodyPos : 0) + kSmallRead);
        const ssize_t n = recv(c.fd, scratch_.data(), want, MSG_DONTWAIT | (skip ? MSG_TRUNC : 0));
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                fail(c, c.connected ? Failure::Disconnect : Failure::Http,
                     std::string("recv: ") + strerror(errno));
            return;
        }
        if (n == 0) {
            fail(c, c.connected ? Failure::Disconnect : Failure::Http,
                 c.connected ? "server closed the connection" : "closed before response headers");
            return;
        }
        ReadClock clk;
        clk.mono = monoNow();
        if (sched_.inWindow(clk.mono))
            res_.windowBytes += uint64_t(n);
        if (skip)
            c.bodyPos += size_t(n);
        else if (!consume(c, scratch_.data(), size_t(n), clk))
            return;
        if (size_t(n) < want)
            return; // socket drained: spare the EAGAIN round trip
    }
}

bool Worker::consume(Conn &c, const char *p, size_t n, ReadClock &clk)
{
    const char *end = p + n;
    while (p < end) {
        bool ok = true;
        switch (c.state) {
        case State::Body:
            ok = consumeBody(c, p, end, clk);
            break;
        case State::BodyEnd:
            if (*p != (c.crlfSeen == 0 ? '\r' : '\n'))
                return fail(c, Failure::Framing,
                            "JPEG not followed by CRLF (Content-Length too small?)");
            ++p;
            if (++c.crlfSeen == 2) {
                c.state = State::Preamble;
                c.blankLines = 0;
            }
            break;
        default:
            ok = consumeLine(c, p, end);
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

// Header lines: parsed in place when complete in the scratch buffer, else accumulated.
bool Worker::consumeLine(Conn &c, const char *&p, const char *end)
{
    const char *nl = static_cast<const char *>(memchr(p, '\n', size_t(end - p)));
    const size_t take = size_t((nl ? nl + 1 : end) - p);
    if (c.line.size() + take > kMaxLine)
        return fail(c, Failure::Framing, "header line longer than 8 KiB (not a header?)");
    std::string_view line;
    if (nl && c.line.empty()) {
        line = std::string_view(p, take);
    } else {
        c.line.append(p, take);
        line = c.line;
    }
    p += take;
    if (!nl)
        return true;
    if (line.size() < 2 || line[line.size() - 2] != '\r')
        return fail(c, Failure::Framing, "header line not terminated by CRLF");
    line.remove_suffix(2);
    const bool ok = handleLine(c, line);
    if (ok)
        c.line.clear();
    return ok;
}

bool Worker::consumeBody(Conn &c, const char *&p, const char *end, ReadClock &clk)
{
    static constexpr unsigned char kSoi[2] = {0xFF, 0xD8}, kEoi[2] = {0xFF, 0xD9};
    const size_t k = std::min(size_t(end - p), c.bodyLen - c.bodyPos);
    const auto *bytes = reinterpret_cast<const unsigned char *>(p);
    for (size_t i = 0; i < 2; ++i) {
        const size_t soiAt = i, eoiAt = c.bodyLen - 2 + i;
        if (soiAt >= c.bodyPos && soiAt < c.bodyPos + k && bytes[soiAt - c.bodyPos] != kSoi[i])
            return fail(c, Failure::Framing, "part body does not start with FF D8 (not a JPEG)");
        if (eoiAt >= c.bodyPos && eoiAt < c.bodyPos + k && bytes[eoiAt - c.bodyPos] != kEoi[i])
            return fail(c, Failure::Framing,
                        format("part body of Content-Length %zu does not end with FF D9 "
                               "(wrong Content-Length?)",
                               c.bodyLen));
    }
    c.bodyPos += k;
    p += k;
    if (c.bodyPos == c.bodyLen) {
        frameDone(c, clk);
        c.state = State::BodyEnd;
        c.crlfSeen = 0;
    }
    return true;
}

void Worker::frameDone(Conn &c, ReadClock &clk)
{
    if (!sched_.inWindow(clk.mono))
        return;
    ++c.frames;
    if (c.haveTimestamp)
        res_.latencyMs.push_back(float((clk.realNow() - c.timestamp) * 1000));
    // ustreamer's X-UStreamer-Grab-Time (?extra_headers=1) is CLOCK_MONOTONIC_RAW, like its own
    // X-UStreamer-Latency; it is the real capture time, whereas its X-Timestamp is send time.
    if (c.haveGrab)
        res_.grabLatencyMs.push_back(float((clk.rawNow() - c.grabTime) * 1000));
}

bool Worker::handleLine(Conn &c, std::string_view line)
{
    switch (c.state) {
    case State::StatusLine:
        return handleStatusLine(c, line);
    case State::Headers:
        return handleResponseHeader(c, line);
    case State::Preamble:
        return handleDelimiter(c, line);
    case State::PartHeaders:
        return handlePartHeader(c, line);
    default:
        return fail(c, Failure::Framing, "internal: line in unexpected state");
    }
}

bool Worker::handleStatusLine(Conn &c, std::string_view line)
{
    // "HTTP/1.x SSS[ reason]"
    if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || line[8] != ' '
        || (line.size() > 12 && line[12] != ' '))
        return fail(c, Failure::Http, "bad status line: " + std::string(line.substr(0, 80)));
    if (line.compare(9, 3, "200") != 0)
        return fail(c, Failure::Http, "HTTP status " + std::string(line.substr(9, 3)));
    c.state = State::Headers;
    return true;
}

bool splitHeader(std::string_view line, std::string_view &name, std::string_view &value)
{
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) // also rejects obsolete folding
        return false;
    value = trim(line.substr(colon + 1));
    return true;
}

bool Worker::handleResponseHeader(Conn &c, std::string_view line)
{
    if (line.empty()) {
        if (!c.haveContentType)
            return fail(c, Failure::Framing, "response has no Content-Type");
        c.connected = true;
        ++res_.connected;
        c.state = State::Preamble;
        c.blankLines = 0;
        return true;
    }
    std::string_view name, value;
    if (!splitHeader(line, name, value))
        return fail(c, Failure::Framing, "bad response header: " + std::string(line.substr(0, 80)));
    if (iequals(name, "Content-Type"))
        return parseContentType(c, value);
    if (iequals(name, "Transfer-Encoding") && !iequals(value, "identity"))
        return fail(c, Failure::Framing,
                    "Transfer-Encoding " + std::string(value) + " is not supported");
    return true;
}

// multipart/x-mixed-replace;boundary=X  (also "; boundary=X", quoted, or X starting with "--")
bool Worker::parseContentType(Conn &c, std::string_view value)
{
    const size_t semi = value.find(';');
    if (!iequals(trim(value.substr(0, semi)), "multipart/x-mixed-replace"))
        return fail(c, Failure::Framing,
                    "Content-Type is not multipart/x-mixed-replace: " + std::string(value));
    std::string_view params = semi == std::string_view::npos ? "" : value.substr(semi + 1);
    std::string boundary;
    while (!params.empty()) {
        const size_t next = params.find(';');
        const std::string_view param = trim(params.substr(0, next));
        params = next == std::string_view::npos ? "" : params.substr(next + 1);
        const size_t eq = param.find('=');
        if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), "boundary"))
            continue;
        std::string_view b = trim(param.substr(eq + 1));
        if (b.size() >= 2 && b.front() == '"' && b.back() == '"')
            b = b.substr(1, b.size() - 2);
        boundary = std::string(b);
    }
    if (boundary.empty() || boundary.find_first_of("\"\r\n") != std::string::npos)
        return fail(c, Failure::Framing,
                    "no usable boundary in Content-Type: " + std::string(value));
    c.delimiter = "--" + boundary;
    // Some servers announce "boundary=--frame" and then write "--frame" lines: accept both.
    c.altDelimiter = boundary.compare(0, 2, "--") == 0 ? boundary : c.delimiter;
    c.haveContentType = true;
    return true;
}

bool Worker::handleDelimiter(Conn &c, std::string_view line)
{
    if (line.empty()) {
        if (++c.blankLines > kMaxBlankLines)
            return fail(c, Failure::Framing, "too many blank lines between parts");
        return true;
    }
    if (line == c.delimiter || line == c.altDelimiter) {
        c.state = State::PartHeaders;
        c.haveLength = c.haveTimestamp = c.haveGrab = false;
        c.headerLines = 0;
        return true;
    }
    if (line == c.delimiter + "--" || line == c.altDelimiter + "--")
        return fail(c, Failure::Disconnect, "server ended the multipart stream");
    return fail(c, Failure::Framing,
                "expected boundary line '" + c.delimiter + "', got '"
                    + std::string(line.substr(0, 60)) + "'");
}

bool Worker::handlePartHeader(Conn &c, std::string_view line)
{
    if (line.empty()) {
        if (!c.haveLength)
            return fail(c, Failure::Framing, "part without Content-Length");
        c.state = State::Body;
        c.bodyPos = 0;
        return true;
    }
    if (++c.headerLines > kMaxPartHeaders)
        return fail(c, Failure::Framing, "more than 64 part headers");
    std::string_view name, value;
    if (!splitHeader(line, name, value))
        return fail(c, Failure::Framing, "bad part header: " + std::string(line.substr(0, 80)));
    if (iequals(name, "Content-Length")) {
        uint64_t len = 0;
        if (c.haveLength || !parseUnsigned(value, kMaxBody, len) || len < 4)
            return fail(c, Failure::Framing,
                        "bad or repeated Content-Length: " + std::string(value));
        c.bodyLen = size_t(len);
        c.haveLength = true;
    } else if (iequals(name, "X-Timestamp")) {
        if (!parseSeconds(value, c.timestamp))
            return fail(c, Failure::Framing, "bad X-Timestamp: " + std::string(value));
        c.haveTimestamp = true;
    } else if (iequals(name, "X-UStreamer-Grab-Time")) {
        if (!parseSeconds(value, c.grabTime))
            return fail(c, Failure::Framing, "bad X-UStreamer-Grab-Time: " + std::string(value));
        c.haveGrab = true;
    }
    return true;
}

bool Worker::fail(Conn &c, Failure kind, const std::string &why)
{
    auto note = [&](uint64_t &counter, std::string &first) {
        ++counter;
        if (first.empty())
            first = format("viewer %zu: ", c.index) + why;
    };
    switch (kind) {
    case Failure::Connect:
        note(res_.connectFailed, res_.firstConnectError);
        break;
    case Failure::Http:
        note(res_.httpErrors, res_.firstHttpError);
        break;
    case Failure::Framing:
        note(res_.framingErrors, res_.firstFramingError);
        break;
    case Failure::Disconnect:
        note(res_.disconnects, res_.firstDisconnect);
        break;
    }
    closeConn(c);
    return false;
}

void Worker::closeConn(Conn &c)
{
    if (c.fd >= 0)
        close(c.fd); // also leaves the epoll set
    c.fd = -1;
    c.state = State::Closed;
    c.line.clear();
    c.line.shrink_to_fit();
}

// ---------------------------------------------------------------------------------------------
// /proc sampling of the server and of the machine

std::string readFile(const std::string &path)
{
    FILE *f = fopen(path.c_str(), "re");
    if (!f)
        return {};
    std::string s;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        s.append(buf, n);
    fclose(f);
    return s;
}

// utime + stime (clock ticks) from a /proc/.../stat file; -1 if unreadable.
long long statTicks(const std::string &path)
{
    const std::string s = readFile(path);
    const size_t paren = s.rfind(')'); // comm may contain spaces and parentheses
    if (paren == std::string::npos)
        return -1;
    unsigned long long utime = 0, stime = 0;
    // after ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
    if (sscanf(s.c_str() + paren + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &utime, &stime)
        != 2)
        return -1;
    return (long long)(utime + stime);
}

struct TaskTicks
{
    long tid;
    std::string comm;
    long long ticks;
};

// Every thread of the server with its CPU ticks: finds the fake cameras' threads (named
// "fakecam", "fakecam1"... per device and "fakecam-plug") and the busiest thread, which shows a
// saturated single event loop.
std::vector<TaskTicks> readTasks(long pid)
{
    std::vector<TaskTicks> tasks;
    const std::string dir = format("/proc/%ld/task", pid);
    DIR *d = opendir(dir.c_str());
    if (!d)
        return tasks;
    while (dirent *e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        const std::string task = dir + "/" + e->d_name;
        std::string comm = readFile(task + "/comm");
        if (!comm.empty() && comm.back() == '\n')
            comm.pop_back();
        const long long ticks = statTicks(task + "/stat");
        if (ticks >= 0)
            tasks.push_back({atol(e->d_name), comm, ticks});
    }
    closedir(d);
    return tasks;
}

long statusKb(long pid, const char *key)
{
    const std::string s = readFile(format("/proc/%ld/status", pid));
    const size_t at = s.find(key);
    return at == std::string::npos ? -1 : atol(s.c_str() + at + strlen(key));
}

struct CpuSample
{
    double wall = 0;
    long long serverTicks = -1;
    std::vector<TaskTicks> tasks;
    double selfSeconds = 0;
    unsigned long long hostIdle = 0, hostTotal = 0;
};

void readHostCpu(CpuSample &s)
{
    const std::string stat = readFile("/proc/stat");
    unsigned long long v[8] = {};
    if (sscanf(stat.c_str(), "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
               &v[3], &v[4], &v[5], &v[6], &v[7])
        != 8)
        return;
    s.hostIdle = v[3] + v[4];
    for (unsigned long long x : v)
        s.hostTotal += x;
}

CpuSample sampleCpu(long pid)
{
    CpuSample s;
    s.wall = monoNow();
    if (pid) {
        s.serverTicks = statTicks(format("/proc/%ld/stat", pid));
        s.tasks = readTasks(pid);
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    s.selfSeconds = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
        + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    readHostCpu(s);
    return s;
}

// ---------------------------------------------------------------------------------------------
// Results

constexpr double kNa = NAN; // printed as "n/a" (table, CSV) or null (JSON)

struct Result
{
    std::string timestamp, label, url, recvMode;
    long viewers = 0, threads = 0, pid = 0;
    double duration = 0, warmup = 0;
    uint64_t connected = 0, connectFailed = 0, httpErrors = 0, framingErrors = 0, disconnects = 0;
    double framesMin = kNa, framesMedian = kNa, framesMax = kNa;
    double fpsMin = kNa, fpsMedian = kNa, fpsTotal = kNa;
    double mbPerS = kNa, avgFrameKb = kNa;
    size_t latSamples = 0, grabSamples = 0;
    double latP50 = kNa, latP99 = kNa, latMax = kNa;
    double grabP50 = kNa, grabP99 = kNa, grabMax = kNa;
    double serverCpu = kNa, serverCpuNoFakecam = kNa, fakecamCpu = kNa;
    std::string topThread = "n/a";
    double topThreadCpu = kNa;
    double rssPeakKb = kNa, hwmKb = kNa;
    double benchCpu = kNa, hostIdle = kNa;
    std::string firstErrors;
};

double percentile(const std::vector<float> &sorted, double p)
{
    if (sorted.empty())
        return kNa;
    size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    rank = std::clamp<size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

double median(const std::vector<uint64_t> &sorted)
{
    if (sorted.empty())
        return kNa;
    const size_t m = sorted.size() / 2;
    return sorted.size() % 2 ? double(sorted[m]) : (double(sorted[m - 1]) + double(sorted[m])) / 2;
}

WorkerResult merge(std::vector<std::unique_ptr<Worker>> &workers)
{
    WorkerResult all;
    auto first = [](std::string &into, const std::string &from) {
        if (into.empty())
            into = from;
    };
    for (auto &w : workers) {
        WorkerResult &r = w->result();
        all.connected += r.connected;
        all.connectFailed += r.connectFailed;
        all.httpErrors += r.httpErrors;
        all.framingErrors += r.framingErrors;
        all.disconnects += r.disconnects;
        all.windowBytes += r.windowBytes;
        all.framesPerViewer.insert(all.framesPerViewer.end(), r.framesPerViewer.begin(),
                                   r.framesPerViewer.end());
        all.latencyMs.insert(all.latencyMs.end(), r.latencyMs.begin(), r.latencyMs.end());
        all.grabLatencyMs.insert(all.grabLatencyMs.end(), r.grabLatencyMs.begin(),
                                 r.grabLatencyMs.end());
        first(all.firstConnectError, r.firstConnectError);
        first(all.firstHttpError, r.firstHttpError);
        first(all.firstFramingError, r.firstFramingError);
        first(all.firstDisconnect, r.firstDisconnect);
    }
    return all;
}

void fillViewerStats(Result &r, WorkerResult &w, double window)
{
    std::sort(w.framesPerViewer.begin(), w.framesPerViewer.end());
    uint64_t frames = 0;
    for (uint64_t f : w.framesPerViewer)
        frames += f;
    if (!w.framesPerViewer.empty()) {
        r.framesMin = double(w.framesPerViewer.front());
        r.framesMedian = median(w.framesPerViewer);
        r.framesMax = double(w.framesPerViewer.back());
        r.fpsMin = r.framesMin / window;
        r.fpsMedian = r.framesMedian / window;
        r.fpsTotal = double(frames) / window;
    }
    r.mbPerS = double(w.windowBytes) / window / 1e6;
    if (frames)
        r.avgFrameKb = double(w.windowBytes) / double(frames) / 1000;
    std::sort(w.latencyMs.begin(), w.latencyMs.end());
    std::sort(w.grabLatencyMs.begin(), w.grabLatencyMs.end());
    r.latSamples = w.latencyMs.size();
    r.latP50 = percentile(w.latencyMs, 50);
    r.latP99 = percentile(w.latencyMs, 99);
    r.latMax = percentile(w.latencyMs, 100);
    r.grabSamples = w.grabLatencyMs.size();
    r.grabP50 = percentile(w.grabLatencyMs, 50);
    r.grabP99 = percentile(w.grabLatencyMs, 99);
    r.grabMax = percentile(w.grabLatencyMs, 100);
}

void fillCpuStats(Result &r, const CpuSample &a, const CpuSample &b)
{
    const double wall = b.wall - a.wall;
    const double hz = double(sysconf(_SC_CLK_TCK));
    if (wall <= 0)
        return;
    r.benchCpu = (b.selfSeconds - a.selfSeconds) / wall * 100;
    if (b.hostTotal > a.hostTotal)
        r.hostIdle = double(b.hostIdle - a.hostIdle) / double(b.hostTotal - a.hostTotal) * 100;
    if (a.serverTicks < 0 || b.serverTicks < 0)
        return;
    // Process totals include threads that exited in the window; per-thread deltas only count
    // threads alive at both ends (a thread born inside the window counts from zero).
    long long fakecam = 0, top = -1;
    for (const TaskTicks &end : b.tasks) {
        auto begin = std::find_if(a.tasks.begin(), a.tasks.end(),
                                  [&](const TaskTicks &t) { return t.tid == end.tid; });
        const long long delta = end.ticks - (begin == a.tasks.end() ? 0 : begin->ticks);
        if (end.comm.compare(0, 7, "fakecam") == 0)
            fakecam += delta;
        if (delta > top) {
            top = delta;
            r.topThread = end.comm;
        }
    }
    r.serverCpu = double(b.serverTicks - a.serverTicks) / hz / wall * 100;
    r.fakecamCpu = double(fakecam) / hz / wall * 100;
    r.serverCpuNoFakecam = r.serverCpu - r.fakecamCpu;
    if (top >= 0)
        r.topThreadCpu = double(top) / hz / wall * 100;
}

std::string num(double v, int decimals)
{
    return std::isnan(v) ? "n/a" : format("%.*f", decimals, v);
}

struct Field
{
    const char *name;
    std::string value; // "n/a" when unknown
    bool isString;
};

std::vector<Field> fields(const Result &r)
{
    auto u = [](uint64_t v) { return std::to_string(v); };
    return {
        {"timestamp", r.timestamp, true},
        {"label", r.label, true},
        {"url", r.url, true},
        {"viewers", u(uint64_t(r.viewers)), false},
        {"connected", u(r.connected), false},
        {"connect_failed", u(r.connectFailed), false},
        {"http_errors", u(r.httpErrors), false},
        {"framing_errors", u(r.framingErrors), false},
        {"disconnects", u(r.disconnects), false},
        {"duration_s", num(r.duration, 2), false},
        {"warmup_s", num(r.warmup, 2), false},
        {"frames_min", num(r.framesMin, 0), false},
        {"frames_median", num(r.framesMedian, 1), false},
        {"frames_max", num(r.framesMax, 0), false},
        {"fps_min", num(r.fpsMin, 2), false},
        {"fps_median", num(r.fpsMedian, 2), false},
        {"fps_total", num(r.fpsTotal, 1), false},
        {"mbytes_per_s", num(r.mbPerS, 2), false},
        {"avg_frame_kb", num(r.avgFrameKb, 1), false},
        {"lat_samples", u(r.latSamples), false},
        {"lat_p50_ms", num(r.latP50, 2), false},
        {"lat_p99_ms", num(r.latP99, 2), false},
        {"lat_max_ms", num(r.latMax, 2), false},
        {"grab_samples", u(r.grabSamples), false},
        {"grab_p50_ms", num(r.grabP50, 2), false},
        {"grab_p99_ms", num(r.grabP99, 2), false},
        {"grab_max_ms", num(r.grabMax, 2), false},
        {"server_pid", r.pid ? std::to_string(r.pid) : "n/a", false},
        {"server_cpu_pct", num(r.serverCpu, 1), false},
        {"server_cpu_nofakecam_pct", num(r.serverCpuNoFakecam, 1), false},
        {"fakecam_cpu_pct", num(r.fakecamCpu, 1), false},
        {"server_top_thread", r.topThread, true},
        {"server_top_thread_cpu_pct", num(r.topThreadCpu, 1), false},
        {"server_rss_peak_kb", num(r.rssPeakKb, 0), false},
        {"server_vmhwm_kb", num(r.hwmKb, 0), false},
        {"bench_cpu_pct", num(r.benchCpu, 1), false},
        {"bench_threads", std::to_string(r.threads), false},
        {"recv_mode", r.recvMode, true},
        {"host_idle_pct", num(r.hostIdle, 1), false},
    };
}

std::string csvQuote(const std::string &s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char ch : s)
        q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string jsonQuote(const std::string &s)
{
    std::string q = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\')
            q += '\\';
        if (static_cast<unsigned char>(ch) < 0x20)
            q += format("\\u%04x", ch);
        else
            q += ch;
    }
    return q + "\"";
}

bool appendCsv(const std::string &path, const Result &r)
{
    struct stat st
    { };
    const bool fresh = stat(path.c_str(), &st) != 0 || st.st_size == 0;
    FILE *f = fopen(path.c_str(), "ae");
    if (!f)
        return false;
    std::string header, row;
    for (const Field &fd : fields(r)) {
        header += (header.empty() ? "" : ",") + std::string(fd.name);
        row += (row.empty() ? "" : ",") + csvQuote(fd.value);
    }
    if (fresh)
        fprintf(f, "%s\n", header.c_str());
    fprintf(f, "%s\n", row.c_str());
    return fclose(f) == 0;
}

void printJson(const Result &r)
{
    std::string out = "{";
    for (const Field &fd : fields(r)) {
        out += (out.size() > 1 ? ", " : "") + jsonQuote(fd.name) + ": ";
        out += fd.isString ? jsonQuote(fd.value) : (fd.value == "n/a" ? "null" : fd.value);
    }
    printf("%s}\n", out.c_str());
}

void printTable(const Result &r)
{
    auto mib = [](double kb) { return num(kb / 1024, 1); };
    printf("mjpeg-bench  %s%s%s\n", r.url.c_str(), r.label.empty() ? "" : "  label ",
           r.label.c_str());
    printf("  window             %.1f s after %.1f s warm-up, %s receive, %ld thread(s)\n",
           r.duration, r.warmup, r.recvMode.c_str(), r.threads);
    printf("  viewers            requested %ld  connected %" PRIu64 "  connect-failed %" PRIu64
           "  http-errors %" PRIu64 "\n",
           r.viewers, r.connected, r.connectFailed, r.httpErrors);
    printf("  frames/viewer      min %s  median %s  max %s\n", num(r.framesMin, 0).c_str(),
           num(r.framesMedian, 1).c_str(), num(r.framesMax, 0).c_str());
    printf("  fps/viewer         min %s  median %s  (all viewers: %s fps)\n",
           num(r.fpsMin, 2).c_str(), num(r.fpsMedian, 2).c_str(), num(r.fpsTotal, 1).c_str());
    printf("  throughput         %s MB/s  (average part %s kB)\n", num(r.mbPerS, 2).c_str(),
           num(r.avgFrameKb, 1).c_str());
    printf("  latency X-Timestamp       p50 %s  p99 %s  max %s ms  (%zu frames)\n",
           num(r.latP50, 2).c_str(), num(r.latP99, 2).c_str(), num(r.latMax, 2).c_str(),
           r.latSamples);
    printf("  latency ustreamer grab    p50 %s  p99 %s  max %s ms  (%zu frames)\n",
           num(r.grabP50, 2).c_str(), num(r.grabP99, 2).c_str(), num(r.grabMax, 2).c_str(),
           r.grabSamples);
    printf("  errors             framing %" PRIu64 "  disconnects %" PRIu64 "\n", r.framingErrors,
           r.disconnects);
    if (r.pid) {
        printf("  server pid %-7ld CPU %s %% (without fakecam %s %%, fakecam %s %%; busiest "
               "thread '%s' %s %%)\n",
               r.pid, num(r.serverCpu, 1).c_str(), num(r.serverCpuNoFakecam, 1).c_str(),
               num(r.fakecamCpu, 1).c_str(), r.topThread.c_str(), num(r.topThreadCpu, 1).c_str());
        printf("  server memory      RSS peak %s MiB  VmHWM %s MiB\n", mib(r.rssPeakKb).c_str(),
               mib(r.hwmKb).c_str());
    }
    printf("  bench              CPU %s %%   host idle %s %% (CPU %% = of one core)\n",
           num(r.benchCpu, 1).c_str(), num(r.hostIdle, 1).c_str());
}

// ---------------------------------------------------------------------------------------------
// Run

void raiseFdLimit(long viewers)
{
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < rlim_t(viewers) + 64) {
        fprintf(stderr,
                "mjpeg-bench: %ld viewers need %ld file descriptors, RLIMIT_NOFILE is %llu\n",
                viewers, viewers + 64, (unsigned long long)rl.rlim_cur);
        exit(1);
    }
}

Target resolveTarget(const Options &o)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo *ai = nullptr;
    const int rc = getaddrinfo(o.host.c_str(), o.port.c_str(), &hints, &ai);
    if (rc != 0 || !ai) {
        fprintf(stderr, "mjpeg-bench: cannot resolve %s: %s\n", o.host.c_str(), gai_strerror(rc));
        exit(1);
    }
    Target t;
    memcpy(&t.addr, ai->ai_addr, ai->ai_addrlen);
    t.addrLen = ai->ai_addrlen;
    freeaddrinfo(ai);
    // What a browser's <img> sends, minus cookies: HTTP/1.1, keep-alive by default.
    t.request = "GET " + o.target + " HTTP/1.1\r\nHost: " + o.hostHeader
        + "\r\nUser-Agent: mjpeg-bench\r\nAccept: image/*,*/*\r\n\r\n";
    return t;
}

std::string isoNow()
{
    const time_t now = time(nullptr);
    tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

// Samples the server while the workers run: VmRSS every 100 ms, CPU at the window edges.
void monitor(const Options &o, const Schedule &s, CpuSample &a, CpuSample &b, double &rssPeakKb)
{
    bool started = false;
    double nextRss = monoNow();
    for (;;) {
        const double now = monoNow();
        if (!started && now >= s.windowStart) {
            a = sampleCpu(o.pid);
            started = true;
        }
        if (now >= s.windowEnd) {
            b = sampleCpu(o.pid);
            return;
        }
        if (o.pid && now >= nextRss) {
            const long kb = statusKb(o.pid, "VmRSS:");
            if (kb >= 0)
                rssPeakKb = std::isnan(rssPeakKb) ? double(kb) : std::max(rssPeakKb, double(kb));
            nextRss += 0.1;
        }
        double wake = s.windowEnd;
        if (!started)
            wake = std::min(wake, s.windowStart);
        if (o.pid)
            wake = std::min(wake, nextRss);
        sleepUntil(wake);
    }
}

void reportFirstErrors(const WorkerResult &w)
{
    const std::pair<const char *, const std::string *> errors[] = {
        {"connect", &w.firstConnectError},
        {"http", &w.firstHttpError},
        {"framing", &w.firstFramingError},
        {"disconnect", &w.firstDisconnect},
    };
    for (const auto &[kind, msg] : errors) {
        if (!msg->empty())
            fprintf(stderr, "mjpeg-bench: first %s error: %s\n", kind, msg->c_str());
    }
}

} // namespace

int main(int argc, char **argv)
{
    const Options opt = parseArgs(argc, argv);
    raiseFdLimit(opt.viewers);
    signal(SIGPIPE, SIG_IGN);
    const Target target = resolveTarget(opt);

    Schedule sched;
    sched.start = monoNow() + 0.05;
    sched.windowStart = sched.start + double(opt.viewers - 1) / opt.rampRate + opt.warmup;
    sched.windowEnd = sched.windowStart + opt.duration;

    std::vector<std::unique_ptr<Worker>> workers;
    for (long t = 0; t < opt.threads; ++t)
        workers.push_back(std::make_unique<Worker>(opt, target, sched, size_t(t)));
    std::vector<std::thread> threads;
    for (auto &w : workers)
        threads.emplace_back([&w] { w->run(); });

    Result r;
    CpuSample before, after;
    monitor(opt, sched, before, after, r.rssPeakKb);
    if (opt.pid) {
        const long hwm = statusKb(opt.pid, "VmHWM:");
        r.hwmKb = hwm >= 0 ? double(hwm) : kNa;
    }
    for (std::thread &t : threads)
        t.join();

    WorkerResult all = merge(workers);
    r.timestamp = isoNow();
    r.label = opt.label;
    r.url = opt.url;
    r.recvMode = opt.copyBodies ? "copy" : "discard";
    r.viewers = opt.viewers;
    r.threads = opt.threads;
    r.pid = opt.pid;
    r.duration = opt.duration;
    r.warmup = opt.warmup;
    r.connected = all.connected;
    r.connectFailed = all.connectFailed;
    r.httpErrors = all.httpErrors;
    r.framingErrors = all.framingErrors;
    r.disconnects = all.disconnects;
    fillViewerStats(r, all, after.wall - before.wall);
    fillCpuStats(r, before, after);

    if (opt.json)
        printJson(r);
    else
        printTable(r);
    reportFirstErrors(all);
    if (!opt.csvPath.empty() && !appendCsv(opt.csvPath, r)) {
        fprintf(stderr, "mjpeg-bench: cannot append to %s: %s\n", opt.csvPath.c_str(),
                strerror(errno));
        return 1;
    }
    if (r.hostIdle < 5)
        fprintf(stderr,
                "mjpeg-bench: warning: host CPU was saturated (%.1f%% idle): server and "
                "bench competed for cores\n",
                r.hostIdle);
    return r.framingErrors > 0 || r.connected == 0 ? 1 : 0;
}
