#pragma once

#include "capture/cameracontrols.h"

#include <QAbstractListModel>
#include <QHash>
#include <QQmlEngine>
#include <QTimer>

class OperatorLock;
class Camera;
class Pipeline;

// The source's camera controls for the settings panel's Camera page: one row per control,
// ordered by group (image, exposure, focus, white balance, other), fed by
// Pipeline::controlsChanged on the GUI thread. Changes go to Pipeline::applyControls and never
// wait: one request is in flight at a time, and what is asked meanwhile (a slider dragged) is
// sent, latest value per control, when its answer comes. A value the camera did not take
// leaves the value in force in the row, with the reason in `refusal`. Also turns every change
// of controls the pipeline announces (this screen, a viewer, --control) into a notice.
class CameraControlModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use Kiosk.cameraControls")
    Q_PROPERTY(bool available READ available NOTIFY availabilityChanged)
    // Why there are no controls ("this source has no controls").
    Q_PROPERTY(QString reason READ reason NOTIFY availabilityChanged)
    Q_PROPERTY(QString camera READ camera NOTIFY availabilityChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // A request is with the source (its answer not back yet).
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // Why the last reset or change was not (fully) applied; empty when it was.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        LabelRole,
        TypeRole, // "integer", "boolean", "menu", "button"
        GroupRole,
        GroupStartRole, // the first row of its group: the page puts the group's title above it
        MinimumRole,
        MaximumRole,
        StepRole,
        DefaultRole,
        ValueRole, // in force
        ValueTextRole, // the value in force as read: menu item, on/off, number
        MenuRole, // [{value, name}] for menus
        InactiveRole,
        ReadOnlyRole,
        RefusalRole, // why the value last asked for is not the one in force; "" when it is
    };
    Q_ENUM(Role)

    // How long a request may stay unanswered before the next one goes anyway (a source that
    // went away); the server gives its viewers as long.
    static constexpr int kAnswerTimeoutMs = 5000;

    CameraControlModel(Pipeline *pipeline, OperatorLock *lock, QObject *parent = nullptr);
    // The camera whose controls it shows and sets (the first one until then; none: no rows).
    void setCamera(Camera *camera);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool available() const { return m_controls.available; }
    QString reason() const { return m_controls.reason; }
    QString camera() const { return m_controls.camera; }
    int count() const { return int(m_rows.size()); }
    bool busy() const { return m_inFlight != 0; }
    QString error() const { return m_error; }

    // Sets `name` to `value` (a double: QML has no 64-bit integer), live. False, with `error`,
    // when it cannot be asked for (the controls are locked, no such control).
    Q_INVOKABLE bool set(const QString &name, double value);
    // Every control back to the camera's default: the values that are active first, then the
    // switches (a value whose auto mode is back on would be refused).
    Q_INVOKABLE bool resetToDefaults();
    // The row of `name`, -1 when there is none (for tests and the page's scrolling).
    Q_INVOKABLE int indexOf(const QString &name) const;
    // A role of the row named `name`, by the role's name ("value", "inactive", ...).
    Q_INVOKABLE QVariant get(const QString &name, const QString &role) const;

    // "Brightness → 140 (by 192.168.1.5)", one line per control, or what was refused.
    static QString noticeText(const QString &who, const QList<CameraControl> &changed,
                              const QString &error);

signals:
    void availabilityChanged();
    void countChanged();
    void busyChanged();
    void errorChanged();
    // A change of controls was applied (or refused): the text to show for a few seconds.
    void noticed(const QString &text);

private:
    void setControls(const CameraControls &controls);
    void onApplied(quint64 requestId, const CameraControls &controls, const QString &error);
    bool mayChange();
    void send();
    void finishRequest();
    void dropRequests();
    void setError(const QString &error);
    // Rows in group order: indexes into m_controls.controls.
    QList<int> ordered(const CameraControls &controls) const;
    const CameraControl &controlAt(int row) const { return m_controls.controls.at(m_rows.at(row)); }

    Pipeline *m_pipeline;
    Camera *m_camera = nullptr;
    OperatorLock *m_lock;
    CameraControls m_controls;
    QList<int> m_rows;
    QHash<QString, QString> m_refusals; // by control name
    ControlValues m_wanted; // asked for while a request was in flight: the latest per control
    ControlValues m_sent; // the request in flight
    quint64 m_inFlight = 0;
    bool m_resetPending = false; // the reset's second step (the switches) is due
    QTimer m_answerTimer;
    QString m_error;
};
