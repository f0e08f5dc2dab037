#include "multipart.h"

namespace Multipart {
QByteArray contentType()
{
    return QByteArray("multipart/x-mixed-replace;boundary=") + kBoundary;
}

QByteArray timestamp(qint64 unixTimeUs)
{
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%lld.%06lld",
                                static_cast<long long>(unixTimeUs / 1000000),
                                static_cast<long long>(unixTimeUs % 1000000));
    return QByteArray(buffer, n);
}

QByteArray partHeader(qsizetype jpegSize, qint64 captureTimeUs)
{
    QByteArray header;
    header.reserve(128);
    header += "--";
    header += kBoundary;
    header += "\r\nContent-Type: image/jpeg\r\nContent-Length: ";
    header += QByteArray::number(jpegSize);
    header += "\r\nX-Timestamp: ";
    header += timestamp(captureTimeUs);
    header += "\r\n\r\n";
    return header;
}

const QByteArray &partTrailer()
{
    static const QByteArray crlf("\r\n");
    return crlf;
}

const QByteArray &closingDelimiter()
{
    static const QByteArray closing = QByteArray("--") + kBoundary + "--\r\n";
    return closing;
}
} // namespace Multipart

StreamFrame StreamFrame::from(const Frame &frame, bool withFile)
{
    StreamFrame f{frame, Multipart::partHeader(frame.jpeg().size(), frame.captureTimeUs()), {}};
    if (withFile)
        f.file = PartFile::create(f.partHeader, frame.jpeg(), Multipart::partTrailer());
    return f;
}
