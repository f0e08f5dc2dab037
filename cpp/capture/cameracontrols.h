#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

// One adjustable setting of a camera (brightness, auto exposure, ...), as the device describes
// it. A plain value: sources publish copies of the whole list (CameraControls), never pointers
// into their own state, so any thread may hold one.
struct CameraControl
{
    enum class Type { Integer, Boolean, Menu, Button };

    QString name; // stable key: the device's label in lower case, "_" for other characters
    QString label; // as the device says it ("Exposure Time, Absolute")
    quint32 id = 0; // the V4L2 control id (0 for sources without one)
    Type type = Type::Integer;
    qint64 minimum = 0;
    qint64 maximum = 0;
    qint64 step = 1;
    qint64 defaultValue = 0;
    qint64 value = 0; // the value in force (read back from the device)
    QList<QPair<qint64, QString>> menu; // Menu: the values the device names, with their names
    bool inactive = false; // set by another control (an auto switch): not to be changed now
    bool readOnly = false;

    // "image", "exposure", "focus", "white balance" or "other": how the Camera page groups them.
    QString group() const;
    static QString typeName(Type type);
    // `v` as a person reads it: the menu item's name, on or off, else the number.
    QString valueText(qint64 v) const;
    static QString nameFor(const QString &label);
    QJsonObject toJson() const;
    // Why `value` cannot be set, naming the control and what it allows; empty when it can.
    // alongside: the request sets other controls too (it may switch this one's master).
    QString refusal(qint64 value, bool alongside = false) const;
};

// Every control of a source. `available` is false for sources that have none (a test pattern,
// a file): `reason` says so.
struct CameraControls
{
    bool available = false;
    QString reason;
    // A stable name of the camera, under which its values are saved: its /dev/v4l/by-id link
    // when there is one, else the card's name and bus.
    QString camera;
    QList<CameraControl> controls;

    const CameraControl *find(const QString &name) const;
    QJsonObject toJson() const;
};

// A request to set controls: name → value, in the order given.
using ControlValues = QList<QPair<QString, qint64>>;

namespace Controls {
// Checks a whole request against `controls` (unknown names, ranges, steps, menu values,
// inactive and read-only controls); empty when every value may be applied.
QString refusal(const CameraControls &controls, const ControlValues &values);
// `values` with switches (menus, booleans) before integers: an auto mode is set to manual
// before the value it governs, as devices that apply one control after another need.
ControlValues mastersFirst(const CameraControls &controls, ControlValues values);
// "name=value" (value a number, or a menu item's name, or true/false/on/off) as given on the
// command line and in the config file; *error names what is wrong.
bool parseAssignment(const QString &text, QString *name, QString *value, QString *error);
// A value given as text for `control`: a number, a boolean word or a menu item's name.
bool parseValue(const CameraControl &control, const QString &text, qint64 *value, QString *error);
} // namespace Controls

Q_DECLARE_METATYPE(CameraControl)
Q_DECLARE_METATYPE(CameraControls)
Q_DECLARE_METATYPE(ControlValues)
