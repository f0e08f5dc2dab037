#pragma once

#include "pipeline/pipelineconfig.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QQmlEngine>
#include <QTimer>

class KioskSettings;

// Who may use the kiosk's controls. With an operator PIN set (--admin-pin, --admin-pin-file, or
// first set in the settings panel), Stop streaming, Privacy, Settings, Share this view and its
// Reset, and (--lock-snapshot) Snapshot ask for it; once it is given the controls stay open
// until nobody has touched the screen for --lock-after minutes, or lock(). Wrong PINs back off:
// after 5 in a row every further one locks the keypad, for 30 s first and twice as long each
// time (at most an hour). Every attempt is logged (kiosk.lock), never the PIN. The PIN is only
// ever kept as its hash (core/pinhash.h), checked off the GUI thread because the hash is
// deliberately slow.
class OperatorLock : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use Kiosk.lock")
    Q_PROPERTY(bool pinSet READ pinSet NOTIFY configChanged)
    // The protected controls ask for the PIN now.
    Q_PROPERTY(bool locked READ isLocked NOTIFY lockedChanged)
    // The action a control asked for that waits for the PIN ("" when none): the keypad is up.
    Q_PROPERTY(QString pending READ pending NOTIFY pendingChanged)
    // A PIN is being checked (or hashed, when a new one is set).
    Q_PROPERTY(bool checking READ isChecking NOTIFY checkingChanged)
    // Seconds until the keypad takes PINs again after too many wrong ones; 0: it does now.
    Q_PROPERTY(int lockoutSeconds READ lockoutSeconds NOTIFY lockoutChanged)
    // The length of the latest lock-out (ms; 0: none yet): 30 s, then twice as long each time.
    Q_PROPERTY(int lockoutMs READ lockoutMs NOTIFY lockoutChanged)
    Q_PROPERTY(int failures READ failures NOTIFY failuresChanged)
    // Tests shorten these (the first lock-out, 30 s; the idle time, --lock-after).
    Q_PROPERTY(int lockoutBaseMs READ lockoutBaseMs WRITE setLockoutBaseMs NOTIFY configChanged)
    Q_PROPERTY(int idleLockMs READ idleLockMs WRITE setIdleLockMs NOTIFY configChanged)

public:
    static constexpr int kFreeAttempts = 5;
    static constexpr int kLockoutBaseMs = 30000;
    static constexpr int kLockoutMaxMs = 3600000;

    explicit OperatorLock(KioskSettings *settings, QObject *parent = nullptr);

    // The PIN's hash, --lock-after and --lock-snapshot in force.
    void configure(const KioskConfig &config);

    bool pinSet() const { return !m_hash.isEmpty(); }
    bool isLocked() const { return pinSet() && !m_unlocked; }
    QString pending() const { return m_pending; }
    bool isChecking() const { return m_checking; }
    int lockoutSeconds() const { return m_lockoutSeconds; }
    int failures() const { return m_failures; }
    int lockoutMs() const { return m_lockoutMs; }
    int lockoutBaseMs() const { return m_lockoutBaseMs; }
    void setLockoutBaseMs(int ms);
    int idleLockMs() const { return m_idleTimer.interval(); }
    void setIdleLockMs(int ms);

    // A control asks to do `action` (stream, privacy, snapshot, settings, shareView, resetView):
    // true when it may go ahead now; otherwise the keypad is asked for (pending) and
    // granted(action) follows the right PIN.
    Q_INVOKABLE bool allows(const QString &action);
    // The keypad's PIN for the pending action; answers with granted() or refused().
    Q_INVOKABLE void enter(const QString &pin);
    // The keypad was closed without a PIN.
    Q_INVOKABLE void cancel();
    // Locks the controls now (the Lock button).
    Q_INVOKABLE void lock();
    // Why `pin` cannot be the new PIN ("" when it can).
    Q_INVOKABLE QString checkNewPin(const QString &pin) const;
    // Makes `pin` the operator PIN (hashed off the GUI thread, then saved by the settings like
    // their other values); an empty one removes the PIN. Answers with pinSaved(error).
    Q_INVOKABLE void setPin(const QString &pin);

    // Someone touched the screen: the controls stay open for another --lock-after.
    void activity();

signals:
    void configChanged();
    void lockedChanged();
    void pendingChanged();
    void checkingChanged();
    void lockoutChanged();
    void failuresChanged();
    void granted(const QString &action);
    void refused(const QString &reason);
    void pinSaved(const QString &error);

private:
    void checked(bool right);
    void updateCountdown();
    void setUnlocked(bool unlocked);
    void setChecking(bool checking);
    void setPending(const QString &action);

    KioskSettings *m_settings;
    QString m_hash;
    bool m_lockSnapshot = true;
    bool m_unlocked = false;
    bool m_checking = false;
    QString m_pending;
    int m_failures = 0;
    int m_lockoutMs = 0;
    int m_lockoutBaseMs = kLockoutBaseMs;
    QDeadlineTimer m_lockoutUntil;
    int m_lockoutSeconds = 0; // as last announced, so that bindings and reads agree
    QTimer m_countdown; // ticks the countdown shown on the keypad
    QTimer m_idleTimer; // locks again when nobody touches
};
