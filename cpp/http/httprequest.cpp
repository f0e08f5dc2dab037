#include "httprequest.h"

#include <QUrl>

namespace {
bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(const QByteArray &s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Visible ASCII only: targets with spaces, controls, NUL or raw 8-bit bytes are malformed.
bool isTargetChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
}

// Header values may hold obs-text (bytes >= 0x80) and tabs, never CR, LF, NUL or other controls.
bool isValueChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

QByteArray percentDecoded(const QByteArray &s)
{
    return QByteArray::fromPercentEncoding(s);
}

bool hasDotDotSegment(const QByteArray &path)
{
    for (const QByteArray &segment : path.split('/')) {
        if (segment == "..")
            return true;
    }
    return false;
}
} // namespace

QByteArray HttpRequest::header(const QByteArray &lowerCaseName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerCaseName)
            return h.second;
    }
    return {};
}

bool HttpRequest::keepAlive() const
{
    const QByteArray connection = header("connection").toLower();
    if (versionMinor >= 1)
        return !connection.contains("close");
    return connection.contains("keep-alive");
}

std::optional<QByteArray> HttpRequest::queryValue(const QByteArray &name) const
{
    if (query.isEmpty())
        return std::nullopt;
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        const QByteArray key = percentDecoded(eq < 0 ? pair : pair.left(eq));
        if (key == name) {
            QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
            value.replace('+', ' ');
            return percentDecoded(value);
        }
    }
    return std::nullopt;
}

std::optional<HttpRequest::Credentials> HttpRequest::basicAuth() const
{
    const QByteArray value = header("authorization");
    if (value.size() < 6 || qstrnicmp(value.constData(), "basic ", 6) != 0)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(value.mid(6).trimmed(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const qsizetype colon = decoded.decoded.indexOf(':');
    if (colon < 0)
        return std::nullopt;
    return Credentials{decoded.decoded.left(colon), decoded.decoded.mid(colon + 1)};
}

void HttpRequestParser::reset()
{
    m_state = State::Incomplete;
    m_head.clear();
    m_bodyRemaining = -1;
    m_request = HttpRequest();
    m_errorStatus = 0;
    m_errorReason.clear();
}

bool HttpRequestParser::fail(int status, const char *reason)
{
    m_state = State::Error;
    m_errorStatus = status;
    m_errorReason = reason;
    return false;
}

qsizetype HttpRequestParser::feed(const char *data, qsizetype size)
{
    qsizetype used = 0;
    if (m_state != State::Incomplete)
        return 0;

    if (m_bodyRemaining < 0) {
        // Look for the blank line that ends the head, starting a little before the new bytes
        // since the terminator may straddle two packets.
        const qsizetype searchFrom = qMax<qsizetype>(0, m_head.size() - 3);
        const qsizetype room = m_limits.maxHeadBytes - m_head.size();
        const qsizetype take = qMin(size, qMax<qsizetype>(room, 0));
        m_head.append(data, take);
        qsizetype end = -1;
        for (qsizetype i = searchFrom; i < m_head.size(); ++i) {
            if (m_head[i] != '\n')
                continue;
            // "\n\n" or "\n\r\n": a bare LF is accepted as a line end (RFC 9112 section 2.2).
            if (i + 1 < m_head.size() && m_head[i + 1] == '\n') {
                end = i + 2;
                break;
            }
            if (i + 2 < m_head.size() && m_head[i + 1] == '\r' && m_head[i + 2] == '\n') {
                end = i + 3;
                break;
            }
        }
        if (end < 0) {
            if (take < size || m_head.size() >= m_limits.maxHeadBytes)
                fail(431, "request head too large");
            return size;
        }
        used = take - (m_head.size() - end);
        m_head.truncate(end);
        if (!parseHead())
            return used;
        if (m_bodyRemaining <= 0) {
            m_bodyRemaining = -1;
            m_state = State::Complete;
            return used;
        }
    }

    const qsizetype skip = qMin<qint64>(m_bodyRemaining, size - used);
    // A POST body (POST /controls) is kept, within maxBodyBytes; other bodies are skipped.
    if (m_request.method == "POST")
        m_request.body.append(data + used, skip);
    m_bodyRemaining -= skip;
    used += skip;
    if (m_bodyRemaining == 0) {
        m_bodyRemaining = -1;
        m_state = State::Complete;
    }
    return used;
}

bool HttpRequestParser::parseHead()
{
    QList<QByteArray> lines = m_head.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    // Ignore empty lines before the request line.
    qsizetype first = 0;
    while (first < lines.size() && lines[first].isEmpty())
        ++first;
    if (first >= lines.size())
        return fail(400, "empty request");
    if (!parseRequestLine(lines[first]))
        return false;
    for (qsizetype i = first + 1; i < lines.size(); ++i) {
        if (lines[i].isEmpty())
            break;
        if (!parseHeaderLine(lines[i]))
            return false;
    }

    if (!m_request.header("transfer-encoding").isEmpty())
        return fail(501, "transfer-encoding not supported");
    qint64 contentLength = 0;
    bool seenLength = false;
    for (const auto &h : std::as_const(m_request.headers)) {
        if (h.first != "content-length")
            continue;
        bool ok = false;
        const qint64 length = h.second.toLongLong(&ok);
        if (!ok || length < 0 || (seenLength && length != contentLength))
            return fail(400, "bad content-length");
        seenLength = true;
        contentLength = length;
    }
    if (contentLength > m_limits.maxBodyBytes)
        return fail(413, "request body too large");
    m_bodyRemaining = contentLength;
    return true;
}

bool HttpRequestParser::parseRequestLine(const QByteArray &line)
{
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3)
        return fail(400, "malformed request line");
    const QByteArray &method = parts[0];
    const QByteArray &target = parts[1];
    const QByteArray &version = parts[2];
    if (!isToken(method))
        return fail(400, "malformed method");
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.')
        return fail(400, "malformed version");
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
        return fail(505, "HTTP version not supported");
    if (target.isEmpty())
        return fail(400, "empty target");
    for (char c : target) {
        if (!isTargetChar(c))
            return fail(400, "invalid character in target");
    }

    QByteArray pathAndQuery = target;
    if (!target.startsWith('/')) {
        // absolute-form (RFC 9112 section 3.2.2): keep only the path and query.
        const QUrl url = QUrl::fromEncoded(target, QUrl::StrictMode);
        if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return fail(400, "unsupported request target");
        pathAndQuery = url.path(QUrl::FullyEncoded).toLatin1();
        if (pathAndQuery.isEmpty())
            pathAndQuery = "/";
        if (url.hasQuery())
            pathAndQuery += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    }
    const qsizetype question = pathAndQuery.indexOf('?');
    const QByteArray rawPath = question < 0 ? pathAndQuery : pathAndQuery.left(question);
    const QByteArray path = percentDecoded(rawPath);
    if (path.contains('\0'))
        return fail(400, "NUL in path");
    if (hasDotDotSegment(path))
        return fail(400, "'..' in path");

    m_request.method = method;
    m_request.target = target;
    m_request.path = path;
    m_request.query = question < 0 ? QByteArray() : pathAndQuery.mid(question + 1);
    m_request.versionMinor = version[7] - '0';
    return true;
}

bool HttpRequestParser::parseHeaderLine(const QByteArray &line)
{
    if (line.startsWith(' ') || line.startsWith('\t'))
        return fail(400, "obsolete line folding");
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return fail(400, "malformed header");
    const QByteArray name = line.left(colon);
    if (!isToken(name))
        return fail(400, "malformed header name");
    const QByteArray value = line.mid(colon + 1).trimmed();
    for (char c : value) {
        if (!isValueChar(c))
            return fail(400, "invalid character in header value");
    }
    if (m_request.headers.size() >= m_limits.maxHeaders)
        return fail(431, "too many headers");
    m_request.headers.append({name.toLower(), value});
    return true;
}
