#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

namespace Http {
QByteArray reasonPhrase(int status);

// Headers every live answer carries, so that no browser or proxy shows a stale frame or figure.
const HttpHeaders &noCacheHeaders();

// A complete response head. Content-Length is written when contentLength >= 0; Connection is
// written from keepAlive.
QByteArray responseHead(int status, const HttpHeaders &headers, qint64 contentLength,
                        bool keepAlive);
} // namespace Http
