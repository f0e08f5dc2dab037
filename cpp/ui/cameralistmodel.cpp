#include "cameralistmodel.h"

#include "http/camerachannel.h"
#include "pipeline/camera.h"
#include "pipeline/pipeline.h"

CameraListModel::CameraListModel(Pipeline *pipeline, QObject *parent)
    : QAbstractListModel(parent)
    , m_pipeline(pipeline)
{
    connect(pipeline, &Pipeline::camerasChanged, this, &CameraListModel::follow,
            Qt::QueuedConnection);
    // The global switch: a camera streams only while it and the server both do.
    connect(pipeline->server(), &StreamServer::runningChanged, this, [this] {
        for (const Row &row : std::as_const(m_rows))
            changeRow(row.camera, [this](Row &r) { r.streaming = streams(r.camera); });
    });
    follow();
}

CameraListModel::Row CameraListModel::rowFor(Camera *camera) const
{
    Row row;
    row.camera = camera;
    row.name = camera->name();
    row.source = camera->sourceInfo();
    row.online = row.source.online;
    row.privacy = camera->privacy();
    row.streaming = streams(camera);
    return row;
}

bool CameraListModel::streams(Camera *camera) const
{
    return camera && m_pipeline->server()->isRunning() && camera->channel()->isRunning();
}

void CameraListModel::watch(Camera *camera)
{
    // Queued: a camera may report from its pipeline's threads; the row is looked up when the
    // news arrives (rows move as cameras come and go).
    connect(
        camera, &Camera::sourceInfoChanged, this,
        [this, camera](const FrameSource::Info &info) {
            changeRow(camera, [&info](Row &r) {
                r.source = info;
                r.online = info.online;
            });
            emit sourceChanged(rowOf(camera));
        },
        Qt::QueuedConnection);
    connect(
        camera, &Camera::privacyChanged, this,
        [this, camera](bool on) { changeRow(camera, [on](Row &r) { r.privacy = on; }); },
        Qt::QueuedConnection);
    connect(
        camera->channel(), &CameraChannel::runningChanged, this,
        [this, camera] {
            changeRow(camera, [this, camera](Row &r) { r.streaming = streams(camera); });
        },
        Qt::QueuedConnection);
}

template<typename Change> void CameraListModel::changeRow(const Camera *camera, Change change)
{
    const int i = rowOf(camera);
    if (i < 0)
        return;
    Row &row = m_rows[i];
    const Row before = row;
    change(row);
    QList<int> roles;
    if (row.source.description != before.source.description)
        roles << DescriptionRole;
    if (row.online != before.online)
        roles << OnlineRole;
    if (row.privacy != before.privacy)
        roles << PrivacyRole;
    if (row.streaming != before.streaming)
        roles << StreamingRole;
    if (row.viewers != before.viewers)
        roles << ViewersRole;
    if (row.fps != before.fps)
        roles << FpsRole;
    if (stateOf(row.online, row.privacy, row.streaming)
        != stateOf(before.online, before.privacy, before.streaming))
        roles << StateRole;
    if (!roles.isEmpty())
        emit dataChanged(index(i), index(i), roles);
}

void CameraListModel::follow()
{
    const QList<Camera *> cameras = m_pipeline->cameras();
    const qsizetype countBefore = m_rows.size();
    // Gone first (from the end, so the indexes ahead stay right)...
    for (qsizetype i = m_rows.size() - 1; i >= 0; --i) {
        if (m_rows[i].camera && cameras.contains(m_rows[i].camera.data()))
            continue;
        beginRemoveRows({}, int(i), int(i));
        m_rows.removeAt(i);
        endRemoveRows();
    }
    // ...then the new ones where they belong; a camera renamed keeps its row. Cameras in
    // another order than before (nothing does that today) are a reset.
    for (qsizetype i = 0; i < cameras.size(); ++i) {
        Camera *camera = cameras[i];
        if (i < m_rows.size() && m_rows[i].camera == camera) {
            if (m_rows[i].name != camera->name()) {
                m_rows[i].name = camera->name();
                emit dataChanged(index(int(i)), index(int(i)), {NameRole});
            }
        } else if (rowOf(camera) < 0) {
            beginInsertRows({}, int(i), int(i));
            m_rows.insert(i, rowFor(camera));
            endInsertRows();
            watch(camera);
        } else {
            beginResetModel();
            m_rows.clear();
            for (Camera *c : cameras)
                m_rows.append(rowFor(c)); // each still watched from when it came
            endResetModel();
            break;
        }
    }
    if (m_rows.size() != countBefore)
        emit countChanged();
    emit camerasChanged();
}

void CameraListModel::setFigures(const QList<Figures> &figures)
{
    for (const Figures &f : figures) {
        const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                     [&f](const Row &r) { return r.name == f.name; });
        if (it != m_rows.cend())
            changeRow(it->camera, [&f](Row &r) {
                r.viewers = f.viewers;
                r.fps = f.fps;
            });
    }
}

QString CameraListModel::stateOf(bool online, bool privacy, bool streaming)
{
    if (!online)
        return QStringLiteral("no signal");
    if (privacy)
        return QStringLiteral("privacy");
    if (!streaming)
        return QStringLiteral("off");
    return {};
}

int CameraListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant CameraListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case NameRole:
        return row.name;
    case DescriptionRole:
        return row.source.description;
    case OnlineRole:
        return row.online;
    case PrivacyRole:
        return row.privacy;
    case StreamingRole:
        return row.streaming;
    case ViewersRole:
        return row.viewers;
    case FpsRole:
        return row.fps;
    case StateRole:
        return stateOf(row.online, row.privacy, row.streaming);
    case PreviewRole:
        return QVariant::fromValue(row.camera ? row.camera->preview() : nullptr);
    default:
        return {};
    }
}

QHash<int, QByteArray> CameraListModel::roleNames() const
{
    return {{NameRole, "name"},
            {DescriptionRole, "description"},
            {OnlineRole, "online"},
            {PrivacyRole, "privacy"},
            {StreamingRole, "streaming"},
            {ViewersRole, "viewers"},
            {FpsRole, "fps"},
            {StateRole, "state"},
            {PreviewRole, "preview"}};
}

Camera *CameraListModel::camera(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].camera.data() : nullptr;
}

int CameraListModel::rowOf(const Camera *camera) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].camera == camera)
            return int(i);
    return -1;
}

FrameSource::Info CameraListModel::sourceInfo(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].source : FrameSource::Info();
}

QList<PreviewStage *> CameraListModel::stages() const
{
    QList<PreviewStage *> stages;
    for (const Row &row : m_rows)
        if (row.camera)
            stages.append(row.camera->preview());
    return stages;
}
