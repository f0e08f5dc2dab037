#pragma once

#include <QString>

// The operator PIN (--admin-pin, the settings panel) is kept only as a salted, slow hash in one
// self-describing string: "pbkdf2-sha256$ITERATIONS$SALT$HASH" (salt and hash in unpadded
// base64url, so the string survives INI files and shells). PBKDF2-HMAC-SHA256 by Qt Network's
// QPasswordDigestor, a random 16-byte salt, 32-byte key. The iteration count is part of the
// string, so a stored hash keeps working if the default changes.
namespace PinHash {
// The default work factor: about 0.1–0.6 s on an x86 core (Qt's PBKDF2 is not the fastest) and
// a few times that on a Raspberry Pi, paid once per PIN entry, off the GUI thread.
constexpr int kIterations = 100000;
constexpr int kMinDigits = 4;
constexpr int kMaxDigits = 12;

// Why `pin` cannot be a PIN ("" when it can): 4 to 12 digits.
QString checkPin(const QString &pin);
// The hash string for `pin` (which checkPin must accept), with a fresh random salt.
QString hash(const QString &pin, int iterations = kIterations);
// Why `stored` is not a hash string this program reads ("" when it is). A clear PIN gets the
// command that hashes it. `what` names the option or key in the message.
QString checkStored(const QString &what, const QString &stored);
// Whether `pin` is the PIN `stored` (a hash string) was made from; compared in constant time.
bool verify(const QString &pin, const QString &stored);
} // namespace PinHash
