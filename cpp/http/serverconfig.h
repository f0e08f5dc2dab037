#pragma once

#include "httprequest.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

// Everything the HTTP side is told; every limit explicit.
struct ServerConfig
{
    QHostAddress host = QHostAddress::Any;
    quint16 port = 8080;
    int networkThreads = 0; // 0: one per core, at most 4
    int maxClients = 64; // simultaneous connections; more are answered 503 and closed
    int requestTimeoutMs
        = 5000; // a connection must complete a request within this (slowloris, idle)
    int sendTimeoutMs = 30000; // a viewer that accepts no byte for this long is dropped
    HttpRequestParser::Limits requestLimits;
    // Parts go out with sendfile() from one in-memory file per frame (no per-viewer copy into
    // socket buffers); off: sendmsg() from the frame's memory.
    bool zeroCopy = true;
    // HTTP Basic auth for every route when the password is not empty.
    QByteArray user = "viewer";
    QByteArray password;
    // A reverse proxy (nginx) whose X-Forwarded-For header names the viewer; null: none.
    QHostAddress trustedProxy;

    // Hardening (see README "Security").
    int maxClientsPerAddress = 16; // simultaneous connections from one address; 0: no limit
    int clientBufferBytes = 0; // SO_SNDBUF of each connection; 0: the kernel's autotuning
    QByteArray token; // accepted as ?token= instead of Basic auth when not empty
    QByteArray allowOrigin; // Access-Control-Allow-Origin value when not empty
    QList<QPair<QHostAddress, int>> allowedNetworks; // empty: everyone; else others get 403
    // Without credentials, camera controls may be changed only from these (--allow-control).
    QList<QPair<QHostAddress, int>> controlNetworks;
    QString tlsCertificateFile; // HTTPS on tlsPort when both files are given
    QString tlsKeyFile;
    quint16 tlsPort = 8443; // 0 picks a free port

    // Output profiles (issue 18): the widths a viewer may ask for besides the full size (0 in
    // the list is the full size), and how many may be encoded at once, the full size included.
    QList<int> profileWidths = {0, 640, 320};
    int maxProfiles = 4;

    int effectiveNetworkThreads() const;
};
