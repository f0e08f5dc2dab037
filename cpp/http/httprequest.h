#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

// A parsed HTTP/1.x request head.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // as sent
    QByteArray path; // percent-decoded, origin-form, never contains a ".." segment
    QByteArray query; // raw, without '?'
    int versionMinor = 1;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QString peer; // the viewer's address (set by the connection; X-Forwarded-For applied)
    QByteArray body; // POST only (up to HttpLimits::maxBodyBytes); other bodies are skipped

    QByteArray header(const QByteArray &lowerCaseName) const;
    bool keepAlive() const;
    // Value of a query parameter (percent-decoded), or nullopt when absent.
    std::optional<QByteArray> queryValue(const QByteArray &name) const;

    struct Credentials
    {
        QByteArray user;
        QByteArray password;
    };
    // From "Authorization: Basic ..."; nullopt when absent or malformed.
    std::optional<Credentials> basicAuth() const;
};

// Incremental, size-bounded request parser: feed it bytes as they arrive, in pieces of any size.
// It never buffers more than the configured head size, so a hostile client costs at most that.
struct HttpLimits
{
    int maxHeadBytes = 8192; // request line + headers
    int maxHeaders = 64;
    qint64 maxBodyBytes = 65536; // a GET body is legal but useless: skipped up to this size
};

class HttpRequestParser
{
public:
    using Limits = HttpLimits;
    enum class State { Incomplete, Complete, Error };

    HttpRequestParser() = default;
    explicit HttpRequestParser(Limits limits)
        : m_limits(limits)
    { }

    // Consumes bytes up to the end of one request (the rest belongs to the next, pipelined,
    // request) and returns how many it took.
    qsizetype feed(const char *data, qsizetype size);
    qsizetype feed(const QByteArray &data) { return feed(data.constData(), data.size()); }

    State state() const { return m_state; }
    const HttpRequest &request() const { return m_request; }
    // HTTP status for an Error: 400, 413, 431, 501 or 505.
    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorReason() const { return m_errorReason; }
    // Ready for the next request on the same connection.
    void reset();

private:
    bool parseHead();
    bool parseRequestLine(const QByteArray &line);
    bool parseHeaderLine(const QByteArray &line);
    bool fail(int status, const char *reason);

    Limits m_limits;
    State m_state = State::Incomplete;
    QByteArray m_head;
    qint64 m_bodyRemaining = -1; // >= 0 while skipping a body
    HttpRequest m_request;
    int m_errorStatus = 0;
    QByteArray m_errorReason;
};
