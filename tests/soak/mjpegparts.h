#pragma once

#include <QByteArray>
#include <QString>

// Checks what a /stream viewer received: the response head, then every complete part
// (boundary, Content-Type, Content-Length, a whole JPEG from SOI to EOI, CRLF). A part cut off
// by the end of the buffer is not an error; anything else that does not fit is.
struct PartCheck
{
    int parts = 0;
    bool closed = false; // the closing delimiter came
    QString error; // empty when all is well
};

inline PartCheck checkMjpeg(const QByteArray &bytes)
{
    PartCheck check;
    const qsizetype headEnd = bytes.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return check;
    const QByteArray head = bytes.left(headEnd);
    if (!head.startsWith("HTTP/1.1 200 ")
        || !head.contains("Content-Type: multipart/x-mixed-replace;boundary=mjpegkiosk")) {
        check.error = QStringLiteral("unexpected head: ") + QString::fromLatin1(head.left(200));
        return check;
    }
    qsizetype at = headEnd + 4;
    const QByteArray boundary = "--mjpegkiosk";
    for (;;) {
        if (bytes.size() - at < boundary.size() + 2)
            return check;
        if (bytes.mid(at, boundary.size()) != boundary) {
            check.error = QStringLiteral("no boundary at part %1").arg(check.parts);
            return check;
        }
        if (bytes.mid(at + boundary.size(), 4) == "--\r\n") {
            check.closed = true;
            if (bytes.size() != at + boundary.size() + 4)
                check.error = QStringLiteral("bytes after the closing delimiter");
            return check;
        }
        const qsizetype partHeadEnd = bytes.indexOf("\r\n\r\n", at);
        if (partHeadEnd < 0)
            return check;
        const QByteArray partHead = bytes.mid(at, partHeadEnd - at);
        const qsizetype lengthAt = partHead.indexOf("Content-Length: ");
        if (!partHead.contains("\r\nContent-Type: image/jpeg\r\n") || lengthAt < 0
            || !partHead.contains("\r\nX-Timestamp: ")) {
            check.error = QStringLiteral("bad part head: ") + QString::fromLatin1(partHead);
            return check;
        }
        const qsizetype lineEnd = partHead.indexOf("\r\n", lengthAt);
        bool ok = false;
        const qsizetype length
            = partHead.mid(lengthAt + 16, lineEnd < 0 ? -1 : lineEnd - lengthAt - 16)
                  .toLongLong(&ok);
        if (!ok || length <= 0) {
            check.error = QStringLiteral("bad Content-Length in: ") + QString::fromLatin1(partHead);
            return check;
        }
        const qsizetype body = partHeadEnd + 4;
        if (bytes.size() < body + length + 2)
            return check;
        const QByteArray jpeg = bytes.mid(body, length);
        if (!jpeg.startsWith("\xff\xd8") || !jpeg.endsWith("\xff\xd9")
            || bytes.mid(body + length, 2) != "\r\n") {
            check.error = QStringLiteral("part %1 is not one whole JPEG").arg(check.parts);
            return check;
        }
        ++check.parts;
        at = body + length + 2;
    }
}
