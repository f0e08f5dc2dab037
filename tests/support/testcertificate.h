#pragma once

#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

namespace TestSupport {

// Why HTTPS cannot be tested on this machine, or an empty string: for QSKIP.
inline QString httpsUnavailable()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        return QStringLiteral("openssl is not installed");
    if (!QSslSocket::supportsSsl())
        return QStringLiteral("Qt has no TLS backend here");
    return {};
}

// A throwaway self-signed certificate and its key in `dir`.
inline bool makeCertificate(const QTemporaryDir &dir, QString *cert, QString *key)
{
    *cert = dir.filePath(QStringLiteral("cert.pem"));
    *key = dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                   QStringLiteral("-keyout"), *key, QStringLiteral("-out"), *cert});
    return openssl.waitForFinished(30000) && openssl.exitCode() == 0;
}

} // namespace TestSupport
