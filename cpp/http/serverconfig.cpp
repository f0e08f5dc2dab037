#include "serverconfig.h"

#include <QThread>

int ServerConfig::effectiveNetworkThreads() const
{
    if (networkThreads > 0)
        return networkThreads;
    return qBound(1, QThread::idealThreadCount(), 4);
}
