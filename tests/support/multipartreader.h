#pragma once

// Test-side readers for what the server sends: an HTTP response head and the
// multipart/x-mixed-replace body of /stream. Both are strict on purpose: any byte out of place is
// an error with a message, so a test fails on framing that a lenient client would forgive.
// The one MJPEG reader of the tests (header-only, tests/support): StreamClient (testclient.h)
// feeds it from a QTcpSocket, checkStream() below reads what a raw socket collected.
// bench/mjpeg-bench.cpp has its own parser, for reasons given there.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>

#include <cstring>
#include <utility>

namespace TestSupport {

struct ResponseHead
{
    int status = 0;
    QByteArray statusLine;
    QList<QPair<QByteArray, QByteArray>> headers; // names as sent

    // First value of a header, case-insensitive name; empty when absent.
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    qint64 contentLength() const
    {
        bool ok = false;
        const qint64 n = header("Content-Length").toLongLong(&ok);
        return ok ? n : -1;
    }
};

// Takes one response head (up to and including CRLF CRLF) off the front of `buffer`.
// Returns false while incomplete; sets *error when the head is malformed (only CRLF line ends,
// "HTTP/1.1 NNN reason", "Name: value").
inline bool takeResponseHead(QByteArray &buffer, ResponseHead *head, QString *error)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QByteArray text = buffer.left(end);
    buffer.remove(0, end + 4);
    const QList<QByteArray> lines = text.split('\n');
    *head = ResponseHead();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (i + 1 < lines.size()) {
            if (!line.endsWith('\r')) {
                *error
                    = QStringLiteral("bare LF in response head: %1").arg(QString::fromLatin1(text));
                return true;
            }
            line.chop(1);
        }
        if (line.contains('\r')) {
            *error = QStringLiteral("stray CR in response head");
            return true;
        }
        if (i == 0) {
            static const QRegularExpression statusLine(
                QStringLiteral("^HTTP/1\\.1 (\\d{3}) [A-Za-z -]+$"));
            const auto m = statusLine.match(QString::fromLatin1(line));
            if (!m.hasMatch()) {
                *error = QStringLiteral("bad status line '%1'").arg(QString::fromLatin1(line));
                return true;
            }
            head->status = m.captured(1).toInt();
            head->statusLine = line;
            continue;
        }
        const qsizetype colon = line.indexOf(": ");
        if (colon <= 0) {
            *error = QStringLiteral("bad header line '%1'").arg(QString::fromLatin1(line));
            return true;
        }
        head->headers.append({line.left(colon), line.mid(colon + 2)});
    }
    return true;
}

// The boundary of a multipart Content-Type value, or empty when it is not multipart.
inline QByteArray boundaryOf(const QByteArray &contentType)
{
    static const QRegularExpression pattern(
        QStringLiteral("^multipart/x-mixed-replace\\s*;\\s*boundary=\"?([^\";]+)\"?$"));
    const auto m = pattern.match(QString::fromLatin1(contentType));
    return m.hasMatch() ? m.captured(1).toLatin1() : QByteArray();
}

struct Part
{
    QByteArray jpeg;
    QByteArray timestamp; // X-Timestamp as sent
    qint64 timestampUs = 0;
};

// Reads a /stream body strictly: every part must be exactly
//   --B CRLF "Content-Type: image/jpeg" CRLF "Content-Length: N" CRLF "X-Timestamp: S.UUUUUU"
//   CRLF CRLF <N bytes starting FF D8, ending FF D9> CRLF
// and the body may end with --B-- CRLF, after which no byte may follow.
class MultipartReader
{
public:
    explicit MultipartReader(QByteArray boundary)
        : m_boundary(std::move(boundary))
    { }

    // Appends bytes and parses every complete part; false once an error was found.
    bool feed(const QByteArray &bytes)
    {
        if (!m_error.isEmpty())
            return false;
        if (m_closed && !bytes.isEmpty())
            return fail(QStringLiteral("%1 bytes after the closing delimiter").arg(bytes.size()));
        m_buffer += bytes;
        while (parseOne()) { }
        return m_error.isEmpty();
    }

    QList<Part> takeParts() { return std::exchange(m_parts, {}); }
    const QList<Part> &parts() const { return m_parts; }
    qsizetype partsRead() const { return m_partsRead; }
    bool isClosed() const { return m_closed; }
    const QString &error() const { return m_error; }
    // Bytes received but not yet part of a complete part (a part in flight).
    qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("part %1: %2").arg(m_partsRead + 1).arg(message);
        return false;
    }

    // Checks that the buffer starts with `expected`, as far as it goes. Returns 1 when it does
    // completely, 0 when it is a proper prefix, -1 when it differs.
    int expect(qsizetype at, const QByteArray &expected) const
    {
        const qsizetype have = qMin(expected.size(), m_buffer.size() - at);
        if (have < 0
            || std::memcmp(m_buffer.constData() + at, expected.constData(), size_t(have)) != 0)
            return -1;
        return have == expected.size() ? 1 : 0;
    }

    // Reads "Name: value" CRLF at `at`; 0 incomplete, -1 error, else the line's length.
    qsizetype headerLine(qsizetype at, const QByteArray &name, QByteArray *value)
    {
        const QByteArray prefix = name + ": ";
        const int r = expect(at, prefix);
        if (r < 0) {
            fail(QStringLiteral("expected header '%1' at '%2'")
                     .arg(QString::fromLatin1(name),
                          QString::fromLatin1(m_buffer.mid(at, 40).toPercentEncoding())));
            return -1;
        }
        if (r == 0)
            return 0;
        const qsizetype eol = m_buffer.indexOf("\r\n", at);
        if (eol < 0) {
            if (m_buffer.size() - at > 200) {
                fail(QStringLiteral("header line too long"));
                return -1;
            }
            return 0;
        }
        *value = m_buffer.mid(at + prefix.size(), eol - at - prefix.size());
        return eol + 2 - at;
    }

    bool parseOne()
    {
        if (m_closed || m_buffer.isEmpty())
            return false;
        const QByteArray delimiter = "--" + m_boundary;
        const QByteArray closing = delimiter + "--\r\n";
        if (expect(0, closing) == 1) {
            m_buffer.remove(0, closing.size());
            m_closed = true;
            if (!m_buffer.isEmpty())
                return fail(QStringLiteral("bytes after the closing delimiter"));
            return false;
        }
        const QByteArray opening = delimiter + "\r\n";
        const int r = expect(0, opening);
        if (r < 0) {
            // A prefix of the closing delimiter is still fine: wait for more.
            if (expect(0, closing) == 0)
                return false;
            return fail(QStringLiteral("expected '--%1' CRLF, got '%2'")
                            .arg(QString::fromLatin1(m_boundary),
                                 QString::fromLatin1(m_buffer.left(40).toPercentEncoding())));
        }
        if (r == 0)
            return false;
        qsizetype at = opening.size();
        QByteArray value;
        qsizetype n = headerLine(at, "Content-Type", &value);
        if (n <= 0)
            return false;
        if (value != "image/jpeg")
            return fail(QStringLiteral("Content-Type '%1'").arg(QString::fromLatin1(value)));
        at += n;
        n = headerLine(at, "Content-Length", &value);
        if (n <= 0)
            return false;
        bool ok = false;
        const qint64 length = value.toLongLong(&ok);
        if (!ok || length <= 0 || QByteArray::number(length) != value)
            return fail(QStringLiteral("Content-Length '%1'").arg(QString::fromLatin1(value)));
        at += n;
        n = headerLine(at, "X-Timestamp", &value);
        if (n <= 0)
            return false;
        static const QRegularExpression stamp(QStringLiteral("^(\\d{9,})\\.(\\d{6})$"));
        const auto m = stamp.match(QString::fromLatin1(value));
        if (!m.hasMatch())
            return fail(QStringLiteral("X-Timestamp '%1'").arg(QString::fromLatin1(value)));
        const QByteArray timestamp = value;
        const qint64 timestampUs
            = m.captured(1).toLongLong() * 1000000 + m.captured(2).toLongLong();
        at += n;
        const int blank = expect(at, "\r\n");
        if (blank < 0)
            return fail(QStringLiteral("no blank line after the part headers"));
        if (blank == 0)
            return false;
        at += 2;
        if (m_buffer.size() < at + length + 2)
            return false;
        const QByteArray jpeg = m_buffer.mid(at, length);
        if (!jpeg.startsWith("\xff\xd8"))
            return fail(QStringLiteral("JPEG does not start with FF D8"));
        if (!jpeg.endsWith("\xff\xd9"))
            return fail(QStringLiteral("JPEG does not end with FF D9"));
        if (expect(at + length, "\r\n") != 1)
            return fail(QStringLiteral("no CRLF after the JPEG"));
        m_buffer.remove(0, at + length + 2);
        m_parts.append({jpeg, timestamp, timestampUs});
        ++m_partsRead;
        return true;
    }

    QByteArray m_boundary;
    QByteArray m_buffer;
    QList<Part> m_parts;
    qsizetype m_partsRead = 0;
    bool m_closed = false;
    QString m_error;
};

// What a /stream answer collected by a raw socket (head and body, perhaps cut off anywhere)
// holds. A part cut off by the end of the bytes is not an error; anything else out of place is.
struct StreamCheck
{
    int parts = 0; // complete parts, each checked as MultipartReader does
    bool closed = false; // the closing delimiter came
    QString error; // empty when all is well (also while the head is incomplete)
};

inline StreamCheck checkStream(const QByteArray &bytes,
                               const QByteArray &contentType
                               = "multipart/x-mixed-replace;boundary=mjpegkiosk")
{
    StreamCheck check;
    QByteArray rest = bytes;
    ResponseHead head;
    if (!takeResponseHead(rest, &head, &check.error) || !check.error.isEmpty())
        return check;
    if (head.status != 200 || head.header("Content-Type") != contentType) {
        check.error = QStringLiteral("unexpected head: %1, Content-Type '%2'")
                          .arg(QString::fromLatin1(head.statusLine),
                               QString::fromLatin1(head.header("Content-Type")));
        return check;
    }
    MultipartReader reader(boundaryOf(contentType));
    reader.feed(rest);
    check.parts = int(reader.partsRead());
    check.closed = reader.isClosed();
    check.error = reader.error();
    return check;
}

} // namespace TestSupport
