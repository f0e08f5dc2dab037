#pragma once

#include "serverstatus.h"

#include <QByteArray>

// The server's figures in the Prometheus text exposition format (version 0.0.4), for GET /metrics.
namespace Metrics {
QByteArray contentType();
QByteArray prometheusText(const ServerStatus &status, qint64 nowMs);
} // namespace Metrics
