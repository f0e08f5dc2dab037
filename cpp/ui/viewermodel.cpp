#include "viewermodel.h"

#include <QDateTime>
#include <QHash>

ViewerModel::ViewerModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

namespace {
// Connection ids are only unique within one network thread; the peer's address and port are
// unique among open connections.
QString keyOf(const ClientStats &c)
{
    return c.address + QLatin1Char('/') + QString::number(c.port);
}
} // namespace

void ViewerModel::update(const QList<ClientStats> &clients)
{
    const int before = int(m_rows.size());
    QHash<QString, const ClientStats *> latest;
    latest.reserve(clients.size());
    for (const ClientStats &c : clients)
        latest.insert(keyOf(c), &c);

    // Gone viewers leave (from the back, so indexes stay valid), the others get new figures.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!latest.contains(keyOf(m_rows[row]))) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (ClientStats &row : m_rows)
        row = *latest.take(keyOf(row));
    if (!m_rows.isEmpty()) {
        emit dataChanged(
            index(0), index(int(m_rows.size()) - 1),
            {FpsRole, BytesSentRole, FramesDroppedRole, ConnectedSecondsRole, ProfileRole});
    }
    // Newcomers at the end, in the server's order.
    QList<ClientStats> added;
    for (const ClientStats &c : clients) {
        if (latest.contains(keyOf(c)))
            added.append(c);
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows += added;
        endInsertRows();
    }
    if (m_rows.size() != before)
        emit countChanged();
}

int ViewerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ViewerModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ClientStats &c = m_rows.at(index.row());
    switch (role) {
    case AddressRole:
        return c.address.contains(QLatin1Char(':'))
            ? QStringLiteral("[%1]:%2").arg(c.address).arg(c.port)
            : QStringLiteral("%1:%2").arg(c.address).arg(c.port);
    case FpsRole:
        return c.fps;
    case BytesSentRole:
        return double(c.bytesSent);
    case FramesDroppedRole:
        return double(c.framesDropped);
    case ConnectedSecondsRole:
        return (QDateTime::currentMSecsSinceEpoch() - c.connectedSinceMs) / 1000.0;
    case ProfileRole:
        return c.profile;
    default:
        return {};
    }
}

QHash<int, QByteArray> ViewerModel::roleNames() const
{
    return {{AddressRole, "address"},
            {FpsRole, "fps"},
            {BytesSentRole, "bytesSent"},
            {FramesDroppedRole, "framesDropped"},
            {ConnectedSecondsRole, "connectedSeconds"},
            {ProfileRole, "profile"}};
}
