#include "operatorlock.h"

#include "core/pinhash.h"
#include "kiosksettings.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QThreadPool>

#include <cmath>

Q_LOGGING_CATEGORY(lcLock, "kiosk.lock")

namespace {
// Sharing the screen's view (and undoing it) sets the crop for every viewer, as Settings could.
const QStringList kProtected{QStringLiteral("stream"),    QStringLiteral("cameraStream"),
                             QStringLiteral("privacy"),   QStringLiteral("settings"),
                             QStringLiteral("shareView"), QStringLiteral("resetView")};
const QString kSnapshot = QStringLiteral("snapshot");
constexpr int kMsPerMinute = 60000;
} // namespace

OperatorLock::OperatorLock(KioskSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &OperatorLock::updateCountdown);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(KioskConfig().lockAfterMinutes * kMsPerMinute);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_unlocked)
            qCInfo(lcLock) << "controls locked: nobody touched the screen for"
                           << m_idleTimer.interval() / 1000 << "s";
        setUnlocked(false);
    });
}

void OperatorLock::configure(const KioskConfig &config)
{
    const bool hadPin = pinSet();
    m_hash = config.adminPinHash;
    m_lockSnapshot = config.lockSnapshot;
    m_idleTimer.setInterval(config.lockAfterMinutes * kMsPerMinute);
    // A PIN set right now (in the panel) leaves the one who set it in; none opens everything.
    if (!hadPin && pinSet())
        setUnlocked(true);
    emit configChanged();
    emit lockedChanged();
}

void OperatorLock::updateCountdown()
{
    const qint64 ms = m_lockoutUntil.remainingTime();
    const int seconds = ms > 0 ? int((ms + 999) / 1000) : 0;
    if (seconds == 0)
        m_countdown.stop();
    if (seconds == m_lockoutSeconds)
        return;
    m_lockoutSeconds = seconds;
    emit lockoutChanged();
}

void OperatorLock::setLockoutBaseMs(int ms)
{
    m_lockoutBaseMs = qMax(1, ms);
    emit configChanged();
}

void OperatorLock::setIdleLockMs(int ms)
{
    m_idleTimer.setInterval(qMax(1, ms));
    if (m_idleTimer.isActive())
        m_idleTimer.start();
    emit configChanged();
}

bool OperatorLock::allows(const QString &action)
{
    const bool guarded = kProtected.contains(action) || (action == kSnapshot && m_lockSnapshot);
    if (!guarded || !isLocked()) {
        activity();
        return true;
    }
    setPending(action);
    return false;
}

void OperatorLock::enter(const QString &pin)
{
    if (m_checking || m_pending.isEmpty())
        return;
    if (lockoutSeconds() > 0) {
        emit refused(tr("Too many wrong PINs: try again in %1 s").arg(lockoutSeconds()));
        return;
    }
    setChecking(true);
    QPointer<OperatorLock> self(this);
    const QString hash = m_hash;
    QThreadPool::globalInstance()->start([self, pin, hash] {
        const bool right = PinHash::verify(pin, hash);
        QMetaObject::invokeMethod(
            self.data(),
            [self, right] {
                if (self)
                    self->checked(right);
            },
            Qt::QueuedConnection);
    });
}

void OperatorLock::checked(bool right)
{
    setChecking(false);
    const QString action = m_pending;
    if (right) {
        qCInfo(lcLock).noquote() << "operator PIN accepted for" << action;
        m_failures = 0;
        m_lockoutMs = 0;
        emit failuresChanged();
        emit lockoutChanged();
        setUnlocked(true);
        setPending({});
        emit granted(action);
        return;
    }
    ++m_failures;
    emit failuresChanged();
    qCWarning(lcLock).noquote() << "wrong operator PIN for" << action << "- attempt" << m_failures
                                << "in a row";
    if (m_failures < kFreeAttempts) {
        emit refused(tr("Wrong PIN"));
        return;
    }
    const double factor = std::pow(2.0, qMin(m_failures - kFreeAttempts, 20));
    const int ms = int(qMin(double(kLockoutMaxMs), m_lockoutBaseMs * factor));
    m_lockoutMs = ms;
    m_lockoutUntil.setRemainingTime(ms);
    m_countdown.start();
    qCWarning(lcLock) << "keypad locked for" << ms / 1000.0 << "s after" << m_failures
                      << "wrong PINs";
    emit lockoutChanged(); // lockoutMs
    updateCountdown();
    emit refused(tr("Wrong PIN"));
}

void OperatorLock::cancel()
{
    setPending({});
}

void OperatorLock::lock()
{
    if (m_unlocked)
        qCInfo(lcLock) << "controls locked";
    setUnlocked(false);
}

QString OperatorLock::checkNewPin(const QString &pin) const
{
    const QString error = PinHash::checkPin(pin);
    return error.isEmpty()
        ? QString()
        : tr("The PIN must be %1 to %2 digits").arg(PinHash::kMinDigits).arg(PinHash::kMaxDigits);
}

void OperatorLock::setPin(const QString &pin)
{
    const QString error = pin.isEmpty() ? QString() : checkNewPin(pin);
    if (!error.isEmpty() || m_checking) {
        emit pinSaved(error.isEmpty() ? tr("Busy") : error);
        return;
    }
    setChecking(true);
    QPointer<OperatorLock> self(this);
    QThreadPool::globalInstance()->start([self, pin] {
        const QString hash = pin.isEmpty() ? QString() : PinHash::hash(pin);
        QMetaObject::invokeMethod(
            self.data(),
            [self, hash] {
                if (!self)
                    return;
                self->setChecking(false);
                const QVariantMap errors
                    = self->m_settings->apply({{QStringLiteral("admin-pin"), hash}});
                qCInfo(lcLock) << (hash.isEmpty() ? "operator PIN removed" : "operator PIN set")
                               << "in the settings panel";
                emit self->pinSaved(errors.value(QStringLiteral("admin-pin")).toString());
            },
            Qt::QueuedConnection);
    });
}

void OperatorLock::activity()
{
    if (m_unlocked)
        m_idleTimer.start();
}

void OperatorLock::setUnlocked(bool unlocked)
{
    unlocked = unlocked && pinSet();
    if (unlocked)
        m_idleTimer.start();
    else
        m_idleTimer.stop();
    if (unlocked == m_unlocked)
        return;
    m_unlocked = unlocked;
    emit lockedChanged();
}

void OperatorLock::setChecking(bool checking)
{
    if (checking == m_checking)
        return;
    m_checking = checking;
    emit checkingChanged();
}

void OperatorLock::setPending(const QString &action)
{
    if (action == m_pending)
        return;
    m_pending = action;
    emit pendingChanged();
}
