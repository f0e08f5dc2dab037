#include "networkaddresses.h"

#include <QNetworkInterface>

namespace {
constexpr int kRefreshMs = 5000;
}

NetworkAddresses::NetworkAddresses(QObject *parent)
    : QAbstractListModel(parent)
{
    connect(&m_timer, &QTimer::timeout, this, &NetworkAddresses::refresh);
    m_timer.start(kRefreshMs);
    refresh();
}

void NetworkAddresses::setPort(int port)
{
    if (port == m_port)
        return;
    m_port = port;
    urlsChanged();
}

void NetworkAddresses::setCameraPath(const QString &path)
{
    if (path == m_cameraPath)
        return;
    m_cameraPath = path;
    urlsChanged();
}

void NetworkAddresses::urlsChanged()
{
    emit portChanged();
    if (!m_entries.isEmpty())
        emit dataChanged(index(0), index(int(m_entries.size()) - 1), {UrlRole});
    emit countChanged(); // mainUrl changed
}

QString NetworkAddresses::url(const Entry &entry, const QString &path) const
{
    return QStringLiteral("http://%1:%2%3%4").arg(entry.host).arg(m_port).arg(m_cameraPath, path);
}

QString NetworkAddresses::mainUrl() const
{
    return m_entries.isEmpty() ? QString() : url(m_entries.first(), QStringLiteral("/"));
}

void NetworkAddresses::refresh()
{
    QList<Entry> ipv4;
    QList<Entry> ipv6;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        const auto flags = iface.flags();
        if (!(flags & QNetworkInterface::IsUp) || !(flags & QNetworkInterface::IsRunning)
            || (flags & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            const QHostAddress address = entry.ip();
            if (address.isLoopback() || address.isLinkLocal())
                continue;
            if (address.protocol() == QAbstractSocket::IPv4Protocol)
                ipv4.append({address.toString(), iface.humanReadableName()});
            else if (address.protocol() == QAbstractSocket::IPv6Protocol)
                ipv6.append({QLatin1Char('[') + address.toString() + QLatin1Char(']'),
                             iface.humanReadableName()});
        }
    }
    const QList<Entry> entries = ipv4 + ipv6;
    if (entries == m_entries)
        return;
    beginResetModel();
    m_entries = entries;
    endResetModel();
    emit countChanged();
}

int NetworkAddresses::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant NetworkAddresses::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    switch (role) {
    case UrlRole:
        return url(entry, QStringLiteral("/stream"));
    case AddressRole:
        return entry.host;
    case InterfaceRole:
        return entry.interfaceName;
    default:
        return {};
    }
}

QHash<int, QByteArray> NetworkAddresses::roleNames() const
{
    return {{UrlRole, "url"}, {AddressRole, "address"}, {InterfaceRole, "interfaceName"}};
}
