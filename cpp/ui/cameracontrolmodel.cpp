#include "cameracontrolmodel.h"

#include "operatorlock.h"
#include "pipeline/pipeline.h"

#include <QLoggingCategory>

#include <cmath>

Q_LOGGING_CATEGORY(lcCameraPage, "kiosk.camerapage")

namespace {
const QStringList kGroupOrder{QStringLiteral("image"), QStringLiteral("exposure"),
                              QStringLiteral("focus"), QStringLiteral("white balance"),
                              QStringLiteral("other")};
const QString kThisScreen = QStringLiteral("this screen");
} // namespace

CameraControlModel::CameraControlModel(Pipeline *pipeline, OperatorLock *lock, QObject *parent)
    : QAbstractListModel(parent)
    , m_pipeline(pipeline)
    , m_lock(lock)
{
    m_answerTimer.setSingleShot(true);
    m_answerTimer.setInterval(kAnswerTimeoutMs);
    connect(&m_answerTimer, &QTimer::timeout, this, [this] {
        setError(
            QStringLiteral("the camera did not answer within %1 s").arg(kAnswerTimeoutMs / 1000));
        finishRequest();
    });
    // Until told otherwise (setCamera()), the first camera, once the pipeline has one.
    connect(pipeline, &Pipeline::camerasChanged, this, [this] {
        if (!m_camera)
            setCamera(m_pipeline->camera());
    });
    setCamera(pipeline->camera());
}

void CameraControlModel::setCamera(Camera *camera)
{
    if (m_camera == camera)
        return;
    if (m_camera)
        disconnect(m_camera, nullptr, this, nullptr);
    m_camera = camera;
    if (camera) {
        connect(camera, &Camera::controlsChanged, this, &CameraControlModel::setControls);
        connect(camera, &Camera::controlsApplied, this, &CameraControlModel::onApplied);
        connect(camera, &Camera::controlsNoticed, this,
                [this](const QString &who, const QList<CameraControl> &changed,
                       const QString &error) { emit noticed(noticeText(who, changed, error)); });
        // Gone with the camera: nothing of it must be asked for afterwards.
        connect(camera, &QObject::destroyed, this, [this] { setCamera(nullptr); });
    }
    setControls(camera ? camera->controls() : CameraControls());
}

int CameraControlModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> CameraControlModel::roleNames() const
{
    return {{NameRole, "name"},
            {LabelRole, "label"},
            {TypeRole, "type"},
            {GroupRole, "group"},
            {GroupStartRole, "groupStart"},
            {MinimumRole, "minimum"},
            {MaximumRole, "maximum"},
            {StepRole, "step"},
            {DefaultRole, "defaultValue"},
            {ValueRole, "value"},
            {ValueTextRole, "valueText"},
            {MenuRole, "menu"},
            {InactiveRole, "inactive"},
            {ReadOnlyRole, "readOnly"},
            {RefusalRole, "refusal"}};
}

QVariant CameraControlModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const CameraControl &c = controlAt(index.row());
    switch (role) {
    case NameRole:
        return c.name;
    case LabelRole:
        return c.label;
    case TypeRole:
        return CameraControl::typeName(c.type);
    case GroupRole:
        return c.group();
    case GroupStartRole:
        return index.row() == 0 || controlAt(index.row() - 1).group() != c.group();
    case MinimumRole:
        return double(c.minimum);
    case MaximumRole:
        return double(c.maximum);
    case StepRole:
        return double(qMax<qint64>(1, c.step));
    case DefaultRole:
        return double(c.defaultValue);
    case ValueRole:
        return double(c.value);
    case ValueTextRole:
        return c.valueText(c.value);
    case MenuRole: {
        QVariantList items;
        for (const auto &[value, name] : c.menu)
            items.append(QVariantMap{{QStringLiteral("value"), double(value)},
                                     {QStringLiteral("name"), name}});
        return items;
    }
    case InactiveRole:
        return c.inactive;
    case ReadOnlyRole:
        return c.readOnly;
    case RefusalRole:
        return m_refusals.value(c.name);
    }
    return {};
}

QList<int> CameraControlModel::ordered(const CameraControls &controls) const
{
    QList<int> rows;
    for (const QString &group : kGroupOrder) {
        for (int i = 0; i < controls.controls.size(); ++i) {
            const QString g = controls.controls.at(i).group();
            if (g == group || (group == kGroupOrder.last() && !kGroupOrder.contains(g)))
                rows.append(i);
        }
    }
    return rows;
}

void CameraControlModel::setControls(const CameraControls &controls)
{
    const bool availability = controls.available != m_controls.available
        || controls.reason != m_controls.reason || controls.camera != m_controls.camera;
    bool sameRows = controls.controls.size() == m_controls.controls.size()
        && controls.camera == m_controls.camera;
    for (int i = 0; sameRows && i < controls.controls.size(); ++i)
        sameRows = controls.controls.at(i).name == m_controls.controls.at(i).name;
    if (sameRows) {
        // Values and flags only: the rows (and a slider being dragged) stay.
        const CameraControls old = std::exchange(m_controls, controls);
        for (int row = 0; row < m_rows.size(); ++row) {
            const CameraControl &was = old.controls.at(m_rows.at(row));
            const CameraControl &now = controlAt(row);
            if (was.value != now.value || was.inactive != now.inactive
                || was.readOnly != now.readOnly || was.minimum != now.minimum
                || was.maximum != now.maximum)
                emit dataChanged(index(row), index(row));
        }
    } else {
        if (controls.camera != m_controls.camera)
            dropRequests(); // another camera: what was asked of the last one is void
        beginResetModel();
        m_controls = controls;
        m_rows = ordered(controls);
        m_refusals.clear();
        endResetModel();
        emit countChanged();
    }
    if (availability)
        emit availabilityChanged();
}

int CameraControlModel::indexOf(const QString &name) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (controlAt(row).name == name)
            return row;
    }
    return -1;
}

QVariant CameraControlModel::get(const QString &name, const QString &role) const
{
    const int row = indexOf(name);
    const int r = roleNames().key(role.toUtf8(), -1);
    return row < 0 || r < 0 ? QVariant() : data(index(row), r);
}

bool CameraControlModel::mayChange()
{
    if (m_lock && m_lock->isLocked()) {
        setError(QStringLiteral("the controls are locked: the operator PIN opens them"));
        return false;
    }
    if (!m_controls.available) {
        setError(m_controls.reason);
        return false;
    }
    return true;
}

bool CameraControlModel::set(const QString &name, double value)
{
    if (!mayChange())
        return false;
    const CameraControl *c = m_controls.find(name);
    if (!c) {
        setError(QStringLiteral("no control %1").arg(name));
        return false;
    }
    qint64 v = qRound64(value);
    if (c->type == CameraControl::Type::Button) {
        v = c->minimum; // any value presses it
    } else if (c->type == CameraControl::Type::Integer && c->step > 1) {
        // A slider between two steps: the nearest the camera takes.
        v = c->minimum + qRound64(double(v - c->minimum) / double(c->step)) * c->step;
        v = qBound(c->minimum, v, c->maximum);
    }
    m_wanted.removeIf([&](const auto &w) { return w.first == name; });
    m_wanted.append({name, v});
    setError({});
    send();
    return true;
}

bool CameraControlModel::resetToDefaults()
{
    if (!mayChange())
        return false;
    // The values first, while they are active: once their switch is back at auto (an exposure
    // time when auto exposure is on) the camera refuses them. The switches follow
    // (finishRequest()) in a request of their own.
    for (const CameraControl &c : std::as_const(m_controls.controls)) {
        if (c.type == CameraControl::Type::Integer && !c.readOnly && !c.inactive
            && c.value != c.defaultValue) {
            m_wanted.removeIf([&](const auto &w) { return w.first == c.name; });
            m_wanted.append({c.name, c.defaultValue});
        }
    }
    m_resetPending = true;
    setError({});
    if (m_wanted.isEmpty() && m_inFlight == 0)
        finishRequest(); // no value to put back: straight to the switches
    else
        send();
    return true;
}

void CameraControlModel::send()
{
    if (m_inFlight != 0 || m_wanted.isEmpty())
        return;
    m_sent = Controls::mastersFirst(m_controls, std::exchange(m_wanted, {}));
    for (const auto &value : std::as_const(m_sent)) {
        if (m_refusals.remove(value.first) > 0) {
            const int row = indexOf(value.first);
            emit dataChanged(index(row), index(row), {RefusalRole});
        }
    }
    if (!m_camera)
        return;
    m_inFlight = m_camera->newLocalRequest();
    m_answerTimer.start();
    emit busyChanged();
    m_camera->applyControls(m_inFlight, m_sent, kThisScreen);
}

void CameraControlModel::onApplied(quint64 requestId, const CameraControls &controls,
                                   const QString &error)
{
    if (requestId != m_inFlight || m_inFlight == 0)
        return;
    if (controls.available && controls.camera == m_controls.camera)
        setControls(controls);
    for (const auto &[name, asked] : std::as_const(m_sent)) {
        const CameraControl *c = controls.find(name);
        if (!c || c->type == CameraControl::Type::Button)
            continue;
        QString why;
        if (!error.isEmpty())
            why = QStringLiteral("In force: %1. %2").arg(c->valueText(c->value), error);
        else if (c->value != asked)
            why = QStringLiteral("In force: %1 (asked for %2: the camera did not take it)")
                      .arg(c->valueText(c->value), c->valueText(asked));
        if (why.isEmpty())
            continue;
        m_refusals.insert(name, why);
        const int row = indexOf(name);
        if (row >= 0)
            emit dataChanged(index(row), index(row), {RefusalRole});
    }
    if (!error.isEmpty()) {
        qCWarning(lcCameraPage).noquote() << "not applied:" << error;
        setError(error);
    }
    finishRequest();
}

void CameraControlModel::finishRequest()
{
    m_answerTimer.stop();
    const bool wasBusy = m_inFlight != 0;
    m_inFlight = 0;
    m_sent.clear();
    if (m_resetPending && m_wanted.isEmpty()) {
        // The reset's second step: the switches (menus, booleans).
        m_resetPending = false;
        for (const CameraControl &c : std::as_const(m_controls.controls)) {
            if ((c.type == CameraControl::Type::Menu || c.type == CameraControl::Type::Boolean)
                && !c.readOnly && !c.inactive && c.value != c.defaultValue)
                m_wanted.append({c.name, c.defaultValue});
        }
    }
    send();
    if (wasBusy && m_inFlight == 0)
        emit busyChanged();
}

void CameraControlModel::dropRequests()
{
    m_wanted.clear();
    m_resetPending = false;
    if (m_inFlight == 0)
        return;
    m_inFlight = 0; // its answer, should it come, is ignored
    m_sent.clear();
    m_answerTimer.stop();
    emit busyChanged();
}

void CameraControlModel::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

QString CameraControlModel::noticeText(const QString &who, const QList<CameraControl> &changed,
                                       const QString &error)
{
    // The server says "192.168.1.5 (user admin)": not in brackets within brackets.
    QString by = who;
    if (by.endsWith(QLatin1Char(')')) && by.contains(QLatin1String(" ("))) {
        by.chop(1);
        by.replace(QLatin1String(" ("), QLatin1String(", "));
    }
    QStringList parts;
    for (const CameraControl &c : changed) {
        parts << (c.type == CameraControl::Type::Button
                      ? QStringLiteral("%1 pressed").arg(c.label)
                      : QStringLiteral("%1 → %2").arg(c.label, c.valueText(c.value)));
    }
    const QString what = parts.join(QLatin1String(", "));
    if (error.isEmpty())
        return QStringLiteral("%1 (by %2)").arg(what, by);
    return QStringLiteral("Not applied (by %1): %2%3")
        .arg(by, error, what.isEmpty() ? QString() : QStringLiteral("; in force: ") + what);
}
