#pragma once

#include "serverconfig.h"

#include <QHash>
#include <QMutex>
#include <QString>

// Admission at accept time, shared by the listeners (plain and TLS) and the pools that close
// connections: the allow-list of client networks and the per-address connection cap. Keyed by
// the address as viewers see it in /status (an IPv4 viewer on a dual-stack socket is a.b.c.d).
class ConnectionGate
{
public:
    enum class Verdict { Admit, Forbidden, TooManyFromAddress };

    explicit ConnectionGate(const ServerConfig &config);

    // Counts the connection when it is admitted; release() it when it closes.
    Verdict admit(const QString &address);
    void release(const QString &address);

    // The peer of a connected socket, IPv4-mapped addresses shown as IPv4.
    static QString peerAddress(int fd, quint16 *port = nullptr);

private:
    bool allowed(const QString &address) const;

    const QList<QPair<QHostAddress, int>> m_networks;
    const int m_maxPerAddress;
    QMutex m_mutex;
    QHash<QString, int> m_perAddress;
};
