#include "pinhash.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringList>

#include <optional>

namespace {
const QString kScheme = QStringLiteral("pbkdf2-sha256");
constexpr int kSaltBytes = 16;
constexpr int kKeyBytes = 32;
// Bounds on what a stored string may ask for: a tampered file must not stall the kiosk for
// minutes per PIN entry, nor fall back to a trivially cheap hash.
constexpr int kMinIterations = 1000;
constexpr int kMaxIterations = 10000000;
constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

struct Parsed
{
    int iterations = 0;
    QByteArray salt;
    QByteArray key;
};

std::optional<Parsed> parse(const QString &stored)
{
    const QStringList parts = stored.trimmed().split(u'$');
    if (parts.size() != 4 || parts[0] != kScheme)
        return std::nullopt;
    bool ok = false;
    Parsed p;
    p.iterations = parts[1].toInt(&ok);
    const auto salt = QByteArray::fromBase64Encoding(parts[2].toLatin1(), kBase64);
    const auto key = QByteArray::fromBase64Encoding(parts[3].toLatin1(), kBase64);
    if (!ok || p.iterations < kMinIterations || p.iterations > kMaxIterations || !salt || !key
        || salt.decoded.size() < 8 || key.decoded.size() != kKeyBytes)
        return std::nullopt;
    p.salt = salt.decoded;
    p.key = key.decoded;
    return p;
}

QByteArray derive(const QString &pin, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, pin.toUtf8(), salt,
                                              iterations, kKeyBytes);
}

// Every byte is looked at whatever differs, so the time taken says nothing about where.
bool equalInConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
} // namespace

QString PinHash::checkPin(const QString &pin)
{
    bool digits = !pin.isEmpty();
    for (const QChar c : pin)
        digits = digits && c >= u'0' && c <= u'9';
    if (!digits || pin.size() < kMinDigits || pin.size() > kMaxDigits)
        return QStringLiteral("the PIN must be %1 to %2 digits").arg(kMinDigits).arg(kMaxDigits);
    return {};
}

QString PinHash::hash(const QString &pin, int iterations)
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()),
                                          kSaltBytes / sizeof(quint32));
    return QStringLiteral("%1$%2$%3$%4")
        .arg(kScheme)
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64(kBase64)),
             QString::fromLatin1(derive(pin, salt, iterations).toBase64(kBase64)));
}

QString PinHash::checkStored(const QString &what, const QString &stored)
{
    if (parse(stored))
        return {};
    if (checkPin(stored.trimmed()).isEmpty() || !stored.contains(u'$'))
        return QStringLiteral("%1 must hold the PIN's hash, never the PIN itself; make it with: "
                              "mjpeg-kiosk --hash-pin (it reads the PIN from standard input)")
            .arg(what);
    return QStringLiteral("%1 is not a PIN hash made by mjpeg-kiosk --hash-pin (%2$iterations"
                          "$salt$hash, %3 to %4 iterations)")
        .arg(what, kScheme)
        .arg(kMinIterations)
        .arg(kMaxIterations);
}

bool PinHash::verify(const QString &pin, const QString &stored)
{
    const auto p = parse(stored);
    return p && equalInConstantTime(derive(pin, p->salt, p->iterations), p->key);
}
