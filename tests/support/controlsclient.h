#pragma once

// Camera controls seen from outside, as a viewer sees them: GET /controls and the picture a
// fresh /snapshot shows.

#include "testclient.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonObject>

namespace TestSupport {

inline QJsonObject controlNamed(const QJsonObject &list, const QString &name)
{
    for (const QJsonValue &v : list.value(QStringLiteral("controls")).toArray()) {
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    }
    return {};
}

inline QJsonObject getControls(quint16 port, const QByteArray &query = {})
{
    const HttpResult r = get(port, "/controls" + query);
    if (r.head.status != 200)
        qWarning() << "GET /controls:" << r.head.status << r.body;
    return QJsonDocument::fromJson(r.body).object();
}

// Mean luma of a fresh /snapshot.
inline double meanLuma(quint16 port)
{
    const HttpResult r = get(port, "/snapshot");
    const QImage image
        = QImage::fromData(r.body, "JPEG").convertToFormat(QImage::Format_Grayscale8);
    if (image.isNull())
        return -1;
    double sum = 0;
    for (int y = 0; y < image.height(); ++y) {
        const uchar *line = image.constScanLine(y);
        for (int x = 0; x < image.width(); ++x)
            sum += line[x];
    }
    return sum / (double(image.width()) * image.height());
}
} // namespace TestSupport
