#pragma once

#include "serverconfig.h"

#include <QString>

#include <memory>

class QSslConfiguration;

// The TLS configuration for --tls-cert and --tls-key: the PEM certificate chain and its
// unencrypted RSA or EC key. Null, with `error` saying which file and why, when they cannot be
// used.
std::shared_ptr<const QSslConfiguration> loadTlsConfiguration(const ServerConfig &config,
                                                              QString *error);
