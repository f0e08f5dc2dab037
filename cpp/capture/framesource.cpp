#include "framesource.h"

#include <QLoggingCategory>

#include <cerrno>

#include <sys/stat.h>

Q_LOGGING_CATEGORY(lcSource, "kiosk.capture")

namespace {
constexpr int kFirstBackoffMs = 500;
constexpr int kMaxBackoffMs = 10000;
// How often an absent device node is looked for: a stat(), cheap enough to do often, and the
// only way that always works (no udev in a container, no inotify events for /dev nodes on
// devtmpfs or for an emulated camera).
constexpr int kNodePollMs = 150;
} // namespace

FrameSource::FrameSource(const SourceOptions &options, Watchdog watchdog, QObject *parent)
    : QObject(parent)
    , m_options(options)
    // Children, so that they move to the capture thread with the source.
    , m_watchdog(this)
    , m_watchdogEnabled(watchdog == Watchdog::On)
    , m_reopenTimer(this)
{
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        lost(QStringLiteral("%1: no frame for %2 s")
                 .arg(m_options.spec)
                 .arg(m_options.timeoutMs / 1000.0));
    });
    connect(&m_reopenTimer, &QTimer::timeout, this, &FrameSource::retry);
    m_info = {m_options.spec, false, m_options.size, m_options.fps};
    m_controls.reason = QStringLiteral("this source has no controls");
    for (const QString &assignment : m_options.controls) {
        QString name, value, error;
        if (Controls::parseAssignment(assignment, &name, &value, &error))
            m_wantedControls.append({name, value});
        else
            qCWarning(lcSource).noquote() << error;
    }
    qRegisterMetaType<CameraControls>();
    qRegisterMetaType<ControlValues>();
}

void FrameSource::applyControls(quint64 requestId, const ControlValues &values)
{
    Q_UNUSED(values);
    emit controlsApplied(requestId, m_controls, m_controls.reason);
}

void FrameSource::setControls(const CameraControls &controls)
{
    m_controls = controls;
    emit controlsChanged(m_controls);
}

ControlValues FrameSource::wantedControls(const CameraControls &controls) const
{
    ControlValues values;
    for (const auto &[name, text] : m_wantedControls) {
        const CameraControl *control = controls.find(name);
        qint64 value = 0;
        QString error;
        if (!control)
            error = QStringLiteral("%1: the camera has no control %2").arg(m_options.spec, name);
        else if (Controls::parseValue(*control, text, &value, &error))
            values.append({name, value});
        if (!error.isEmpty())
            qCWarning(lcSource).noquote() << error;
    }
    return values;
}

void FrameSource::rememberControls(const ControlValues &values, const CameraControls &inForce)
{
    for (const auto &value : values) {
        const CameraControl *c = inForce.find(value.first);
        if (!c || c->type == CameraControl::Type::Button)
            continue;
        m_wantedControls.removeIf([&](const auto &w) { return w.first == c->name; });
        m_wantedControls.append({c->name, QString::number(c->value)});
    }
}

void FrameSource::start()
{
    open();
}

void FrameSource::stop()
{
    m_reopenTimer.stop();
    m_watchdog.stop();
    close();
    markOffline();
}

void FrameSource::lost(const QString &why)
{
    m_watchdog.stop();
    close();
    if (why != m_lastError)
        qCWarning(lcSource).noquote() << why << "- retrying";
    m_lastError = why;
    Info i = m_info;
    i.online = false;
    i.error = why;
    setInfo(i);
    if (deviceNodeAbsent()) {
        // Unplugged: no back-off, it is opened the moment it is back.
        m_backoffMs = 0;
        m_reopenDue = QDeadlineTimer(0);
    } else {
        m_backoffMs = m_backoffMs ? qMin(m_backoffMs * 2, kMaxBackoffMs) : kFirstBackoffMs;
        m_reopenDue = QDeadlineTimer(m_backoffMs);
    }
    // Without a node to watch, one wake-up when the back-off is over; with one, a look at the
    // node every kNodePollMs until it is there and due.
    m_reopenTimer.setSingleShot(m_deviceNode.isEmpty());
    m_reopenTimer.start(m_deviceNode.isEmpty() ? m_backoffMs : kNodePollMs);
}

void FrameSource::retry()
{
    if (!m_deviceNode.isEmpty()) {
        if (deviceNodeAbsent()) {
            // Gone (again): whatever back-off a failing open had built up no longer applies.
            m_backoffMs = 0;
            m_reopenDue = QDeadlineTimer(0);
            return;
        }
        if (!m_reopenDue.hasExpired())
            return;
    }
    m_reopenTimer.stop();
    open();
}

bool FrameSource::deviceNodeAbsent() const
{
    if (m_deviceNode.isEmpty())
        return false;
    // stat(), not QFileInfo: the emulated camera of the tests answers stat() and access().
    struct stat st;
    return ::stat(m_deviceNode.toLocal8Bit().constData(), &st) != 0 && errno == ENOENT;
}

void FrameSource::opened(const Info &info)
{
    m_backoffMs = 0;
    m_lastError.clear();
    m_reopenTimer.stop();
    if (m_watchdogEnabled)
        m_watchdog.start(m_options.timeoutMs); // the first frame gets the source timeout too
    qCInfo(lcSource).noquote() << "opened" << info.description << info.format << info.size.width()
                               << "x" << info.size.height() << "@" << info.fps << "fps";
    Info i = info;
    i.online = true;
    i.error.clear();
    setInfo(i);
}

void FrameSource::markOffline()
{
    Info i = m_info;
    i.online = false;
    setInfo(i);
}

void FrameSource::setInfo(const Info &info)
{
    const bool changed = info.online != m_info.online || info.size != m_info.size
        || qAbs(info.fps - m_info.fps) > 0.01 || info.description != m_info.description
        || info.format != m_info.format || info.error != m_info.error;
    m_info = info;
    if (changed)
        emit infoChanged(m_info);
}

void FrameSource::feedWatchdog()
{
    if (m_watchdog.isActive())
        m_watchdog.start(m_options.timeoutMs);
}

void FrameSource::emitFrame(RawFrame frame)
{
    feedWatchdog();
    frame.sequence = ++m_sequence;
    if (frame.captureTimeUs == 0)
        frame.captureTimeUs = wallClockUs();
    emit frameCaptured(frame);
}

namespace {
template<typename Planes, typename Byte> Planes planesAt(Byte *first, int bytesPerLine, int height)
{
    Planes p;
    const int bpl = bytesPerLine; // a multiple of 4, so bpl / 2 >= width / 2
    p.plane[0] = first;
    p.plane[1] = p.plane[0] + qsizetype(bpl) * height;
    p.plane[2] = p.plane[1] + qsizetype(bpl / 2) * ((height + 1) / 2);
    p.stride[0] = bpl;
    p.stride[1] = p.stride[2] = bpl / 2;
    return p;
}
} // namespace

I420Planes i420Planes(QImage &image, int width, int height)
{
    Q_UNUSED(width);
    return planesAt<I420Planes>(image.bits(), int(image.bytesPerLine()), height);
}

I420ConstPlanes i420Planes(const QImage &image, int width, int height)
{
    Q_UNUSED(width);
    return planesAt<I420ConstPlanes>(image.constBits(), int(image.bytesPerLine()), height);
}
