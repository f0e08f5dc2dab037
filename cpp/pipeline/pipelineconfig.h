#pragma once

#include "http/serverconfig.h"

#include <QSize>
#include <QString>

// Everything that shapes the capture → encode → serve pipeline. The same checks serve the
// command line, the config file and the settings panel: each returns an empty string for a
// good value and otherwise says what is wrong.
struct PipelineConfig
{
    QString source = QStringLiteral("test");
    QSize resolution{1280, 720};
    double fps = 30;
    int quality = 80;
    ServerConfig server;

    static QString parseResolution(const QString &text, QSize *out);
    static QString parseFps(const QString &text, double *out);
    static QString parseQuality(const QString &text, int *out);
    static QString parsePort(const QString &text, quint16 *out);
    static QString parseHost(const QString &text, QHostAddress *out);
    static QString parsePositive(const QString &name, const QString &text, int min, int max,
                                 int *out);
};
