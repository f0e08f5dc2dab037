#pragma once

#include "serverstatus.h"

#include <QByteArray>
#include <QList>

#include <memory>

// The server's figures in the Prometheus text exposition format (version 0.0.4), for GET /metrics.
namespace Metrics {
QByteArray contentType();
// Every camera's series carry a camera="NAME" label; the server's own figures (connections,
// the screen, uptime) come once.
QByteArray prometheusText(const QList<std::shared_ptr<const ServerStatus>> &cameras, qint64 nowMs);
} // namespace Metrics
