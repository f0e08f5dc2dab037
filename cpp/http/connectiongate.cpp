#include "connectiongate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

ConnectionGate::ConnectionGate(const ServerConfig &config)
    : m_networks(config.allowedNetworks)
    , m_maxPerAddress(config.maxClientsPerAddress)
{ }

bool ConnectionGate::allowed(const QString &address) const
{
    if (m_networks.isEmpty())
        return true;
    const QHostAddress host(address);
    for (const auto &network : m_networks) {
        if (host.isInSubnet(network))
            return true;
    }
    return false;
}

ConnectionGate::Verdict ConnectionGate::admit(const QString &address)
{
    if (!allowed(address))
        return Verdict::Forbidden;
    QMutexLocker lock(&m_mutex);
    int &count = m_perAddress[address];
    if (m_maxPerAddress > 0 && count >= m_maxPerAddress)
        return Verdict::TooManyFromAddress;
    ++count;
    return Verdict::Admit;
}

void ConnectionGate::release(const QString &address)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_perAddress.find(address);
    if (it == m_perAddress.end())
        return;
    if (--it.value() <= 0)
        m_perAddress.erase(it);
}

QString ConnectionGate::peerAddress(int fd, quint16 *port)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return {};
    const QHostAddress host(reinterpret_cast<sockaddr *>(&storage));
    if (port) {
        *port = storage.ss_family == AF_INET6
            ? ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port)
            : ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
    }
    bool isV4 = false;
    const quint32 v4 = host.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : host.toString();
}
