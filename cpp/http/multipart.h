#pragma once

#include "encode/frame.h"
#include "partfile.h"

#include <QByteArray>

// The multipart/x-mixed-replace framing of /stream. Each part is
//   --BOUNDARY CRLF headers CRLF CRLF <jpeg> CRLF
// and the stream ends, when the server ends it, with --BOUNDARY-- CRLF.
namespace Multipart {
inline constexpr char kBoundary[] = "mjpegkiosk";

QByteArray contentType(); // multipart/x-mixed-replace;boundary=mjpegkiosk
QByteArray partHeader(qsizetype jpegSize, qint64 captureTimeUs);
const QByteArray &partTrailer(); // CRLF after the JPEG
const QByteArray &closingDelimiter(); // --mjpegkiosk--CRLF
// Unix seconds with six decimals, as X-Timestamp carries it.
QByteArray timestamp(qint64 unixTimeUs);
} // namespace Multipart

// A frame as /stream sends it: the shared JPEG plus its part header, made once per frame on the
// encoder's side of the server, so no viewer formats a header or copies a JPEG.
struct StreamFrame
{
    Frame frame;
    QByteArray partHeader;
    // The whole part in a file for sendfile(); null when in-memory writing is to be used.
    std::shared_ptr<const PartFile> file;
    int camera = 0; // the id of the camera it shows (CameraFeed)

    static StreamFrame from(const Frame &frame, bool withFile = false);
    bool isNull() const { return frame.isNull(); }
};

Q_DECLARE_METATYPE(StreamFrame)
