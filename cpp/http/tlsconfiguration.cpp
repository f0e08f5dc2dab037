#include "tlsconfiguration.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

namespace {
QString load(const ServerConfig &config, QSslConfiguration *tls)
{
    if (!QSslSocket::supportsSsl())
        return QStringLiteral("TLS is not available (no TLS backend for Qt Network)");
    QFile certFile(config.tlsCertificateFile);
    if (!certFile.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read TLS certificate %1: %2")
            .arg(config.tlsCertificateFile, certFile.errorString());
    const QList<QSslCertificate> chain = QSslCertificate::fromDevice(&certFile, QSsl::Pem);
    if (chain.isEmpty())
        return QStringLiteral("no PEM certificate in %1").arg(config.tlsCertificateFile);
    QFile keyFile(config.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read TLS key %1: %2")
            .arg(config.tlsKeyFile, keyFile.errorString());
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return QStringLiteral("no usable PEM private key (RSA or EC, unencrypted) in %1")
            .arg(config.tlsKeyFile);
    *tls = QSslConfiguration::defaultConfiguration();
    tls->setLocalCertificateChain(chain);
    tls->setPrivateKey(key);
    tls->setPeerVerifyMode(QSslSocket::VerifyNone); // viewers have no client certificates
    tls->setProtocol(QSsl::TlsV1_2OrLater);
    return {};
}
} // namespace

std::shared_ptr<const QSslConfiguration> loadTlsConfiguration(const ServerConfig &config,
                                                              QString *error)
{
    QSslConfiguration tls;
    *error = load(config, &tls);
    if (!error->isEmpty())
        return nullptr;
    return std::make_shared<const QSslConfiguration>(tls);
}
