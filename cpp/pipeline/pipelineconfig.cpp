#include "pipelineconfig.h"

#include "capture/v4l2source.h"

#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

QString PipelineConfig::parseResolution(const QString &text, QSize *out)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,5})[xX](\\d{1,5})$"));
    const auto match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return QStringLiteral("resolution must look like 1280x720, not '%1'").arg(text);
    const int w = match.captured(1).toInt();
    const int h = match.captured(2).toInt();
    if (w < 16 || h < 16 || w > 7680 || h > 4320)
        return QStringLiteral("resolution %1 is out of range (16x16 to 7680x4320)").arg(text);
    if (w % 2 || h % 2)
        return QStringLiteral("resolution %1 must have even width and height").arg(text);
    if (out)
        *out = QSize(w, h);
    return {};
}

QString PipelineConfig::parseSchedule(const QString &text, int *from, int *to)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("none")) {
        *from = *to = -1;
        return {};
    }
    static const QRegularExpression pattern(
        QStringLiteral("^([01]?\\d|2[0-3]):([0-5]\\d)-([01]?\\d|2[0-3]):([0-5]\\d)$"));
    const auto match = pattern.match(t);
    if (!match.hasMatch())
        return QStringLiteral("screen-schedule must be HH:MM-HH:MM (00:00 to 23:59, e.g. "
                              "22:00-07:00) or none, not '%1'")
            .arg(text);
    const int start = match.captured(1).toInt() * 60 + match.captured(2).toInt();
    const int end = match.captured(3).toInt() * 60 + match.captured(4).toInt();
    if (start == end)
        return QStringLiteral("screen-schedule '%1' starts and ends at the same time").arg(text);
    *from = start;
    *to = end;
    return {};
}

QString PipelineConfig::scheduleText(int from, int to)
{
    if (from < 0 || to < 0)
        return {};
    const auto hhmm = [](int minute) {
        return QStringLiteral("%1:%2")
            .arg(minute / 60, 2, 10, QLatin1Char('0'))
            .arg(minute % 60, 2, 10, QLatin1Char('0'));
    };
    return hhmm(from) + u'-' + hhmm(to);
}

QString PipelineConfig::hostName(const QHostAddress &host)
{
    return host == QHostAddress::Any ? QStringLiteral("0.0.0.0") : host.toString();
}

QString PipelineConfig::parseHost(const QString &text, QHostAddress *out)
{
    QHostAddress address;
    const QString t = text.trimmed();
    if (t == QLatin1String("0.0.0.0") || t == QLatin1String("*") || t.isEmpty())
        address = QHostAddress::Any; // dual stack: IPv4 and IPv6 viewers alike
    else if (t == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(t))
        return QStringLiteral("host must be an IP address to listen on, not '%1'").arg(text);
    if (out)
        *out = address;
    return {};
}

QString PipelineConfig::parsePositive(const QString &name, const QString &text, int min, int max,
                                      int *out)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < min || value > max)
        return QStringLiteral("%1 must be a whole number from %2 to %3, not '%4'")
            .arg(name)
            .arg(min)
            .arg(max)
            .arg(text);
    if (out)
        *out = value;
    return {};
}

QString PipelineConfig::parseNumber(const QString &name, const QString &text, double min,
                                    double max, const QString &unit, double *out)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !(value >= min && value <= max))
        return QStringLiteral("%1 must be a number%2 from %3 to %4, not '%5'")
            .arg(name, unit, QString::number(min), QString::number(max), text);
    if (out)
        *out = value;
    return {};
}

QString PipelineConfig::parseProfiles(const QString &text, QList<int> *widths)
{
    constexpr int kMaxWidths = 8;
    QList<int> parsed;
    const QStringList items = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &item : items) {
        const QString width = item.trimmed();
        bool ok = width == QLatin1String("full");
        const int value = ok ? 0 : width.toInt(&ok);
        if (!ok || (value != 0 && (value < 16 || value > 16384)))
            return QStringLiteral("profiles: '%1' is neither 'full' nor a width from 16 to 16384")
                .arg(width);
        if (!parsed.contains(value))
            parsed.append(value);
    }
    if (parsed.isEmpty() || parsed.size() > kMaxWidths)
        return QStringLiteral("profiles must list 1 to %1 widths (or 'full'), e.g. full,640,320")
            .arg(kMaxWidths);
    *widths = parsed;
    return {};
}

QString PipelineConfig::profilesText(const QList<int> &widths)
{
    QStringList texts;
    for (const int width : widths)
        texts.append(width == 0 ? QStringLiteral("full") : QString::number(width));
    return texts.join(u',');
}

bool CameraConfig::passThroughJpeg() const
{
    return encoder == Encoder::Passthrough
        || (encoder == Encoder::Auto && !qualityForced && overlay.isEmpty());
}

QString CameraConfig::checkCameraName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[a-z0-9-]{1,32}$"));
    if (valid.match(name).hasMatch())
        return {};
    return QStringLiteral("camera name '%1' must be 1 to 32 of a-z, 0-9 and '-'").arg(name);
}

QString CameraConfig::exclusiveSource(const QString &spec)
{
    if (spec.isEmpty() || spec == QLatin1String("test") || spec.startsWith(QLatin1String("test:")))
        return {};
    const QString device = V4l2Source::devicePath(spec);
    const QString path = device.isEmpty() ? spec : device;
    // The node a /dev/v4l/by-id link names; the path itself where it cannot be resolved (a
    // camera unplugged, an emulated node).
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return canonical.isEmpty() ? path : canonical;
}

QString CameraConfig::checkCameraList(const QList<CameraConfig> &cameras)
{
    if (cameras.size() > kMaxCameras)
        return QStringLiteral("at most %1 cameras, not %2").arg(kMaxCameras).arg(cameras.size());
    QHash<QString, QString> names; // name → itself; source → the camera using it
    QHash<QString, QString> sources;
    for (const CameraConfig &camera : cameras) {
        if (const QString why = checkCameraName(camera.name); !why.isEmpty())
            return why;
        if (names.contains(camera.name))
            return QStringLiteral("camera name '%1' is given twice").arg(camera.name);
        names.insert(camera.name, camera.name);
        const QString source = exclusiveSource(camera.source);
        if (source.isEmpty())
            continue;
        if (sources.contains(source))
            return QStringLiteral("cameras '%1' and '%2' both use %3: a device, file or URL "
                                  "serves one camera")
                .arg(sources.value(source), camera.name, camera.source);
        sources.insert(source, camera.name);
    }
    return {};
}

QList<CameraConfig> PipelineConfig::cameraList() const
{
    if (!cameras.isEmpty())
        return cameras;
    return {static_cast<const CameraConfig &>(*this)};
}

namespace {
const PipelineConfig::Encoder kEncoders[]
    = {PipelineConfig::Encoder::Auto, PipelineConfig::Encoder::Cpu,
       PipelineConfig::Encoder::Passthrough};
}

QString PipelineConfig::encoderName(Encoder encoder)
{
    switch (encoder) {
    case Encoder::Auto:
        return QStringLiteral("auto");
    case Encoder::Cpu:
        return QStringLiteral("cpu");
    case Encoder::Passthrough:
        return QStringLiteral("passthrough");
    }
    return {};
}

QString PipelineConfig::parseEncoder(const QString &text, Encoder *out)
{
    const QString t = text.trimmed().toLower();
    for (const Encoder e : kEncoders) {
        if (t == encoderName(e)) {
            if (out)
                *out = e;
            return {};
        }
    }
    return QStringLiteral("encoder must be auto, cpu or passthrough, not '%1'").arg(text);
}
