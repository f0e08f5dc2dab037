#include "cameracontrols.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

QString CameraControl::group() const
{
    const QString n = name;
    if (n.contains(QLatin1String("white_balance")))
        return QStringLiteral("white balance");
    if (n.contains(QLatin1String("exposure")) || n.contains(QLatin1String("gain"))
        || n.contains(QLatin1String("backlight")) || n.contains(QLatin1String("power_line")))
        return QStringLiteral("exposure");
    if (n.contains(QLatin1String("focus")) || n.contains(QLatin1String("zoom")))
        return QStringLiteral("focus");
    if (n == QLatin1String("brightness") || n == QLatin1String("contrast")
        || n == QLatin1String("saturation") || n == QLatin1String("hue")
        || n == QLatin1String("gamma") || n == QLatin1String("sharpness"))
        return QStringLiteral("image");
    return QStringLiteral("other");
}

QString CameraControl::typeName(Type type)
{
    switch (type) {
    case Type::Integer:
        return QStringLiteral("integer");
    case Type::Boolean:
        return QStringLiteral("boolean");
    case Type::Menu:
        return QStringLiteral("menu");
    case Type::Button:
        return QStringLiteral("button");
    }
    return {};
}

QString CameraControl::valueText(qint64 v) const
{
    if (type == Type::Boolean)
        return v ? QStringLiteral("on") : QStringLiteral("off");
    for (const auto &item : menu) {
        if (item.first == v)
            return item.second;
    }
    return QString::number(v);
}

QString CameraControl::nameFor(const QString &label)
{
    static const QRegularExpression other(QStringLiteral("[^a-z0-9]+"));
    QString n = label.toLower().replace(other, QStringLiteral("_"));
    while (n.endsWith(QLatin1Char('_')))
        n.chop(1);
    while (n.startsWith(QLatin1Char('_')))
        n.remove(0, 1);
    return n;
}

QJsonObject CameraControl::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("label"), label},
                  {QStringLiteral("id"), qint64(id)},
                  {QStringLiteral("type"), typeName(type)},
                  {QStringLiteral("group"), group()},
                  {QStringLiteral("min"), minimum},
                  {QStringLiteral("max"), maximum},
                  {QStringLiteral("step"), step},
                  {QStringLiteral("default"), defaultValue},
                  {QStringLiteral("value"), value}};
    QJsonArray flags;
    if (inactive)
        flags.append(QStringLiteral("inactive"));
    if (readOnly)
        flags.append(QStringLiteral("read-only"));
    o.insert(QStringLiteral("flags"), flags);
    if (type == Type::Menu) {
        QJsonArray items;
        for (const auto &item : menu)
            items.append(QJsonObject{{QStringLiteral("value"), item.first},
                                     {QStringLiteral("name"), item.second}});
        o.insert(QStringLiteral("menu"), items);
    }
    return o;
}

QString CameraControl::refusal(qint64 v, bool alongside) const
{
    if (readOnly)
        return QStringLiteral("%1 is read-only").arg(name);
    // An inactive control may come with its master in the same request (auto exposure to
    // manual and an exposure time): the device decides then.
    if (inactive && !alongside)
        return QStringLiteral("%1 is inactive (set by its automatic mode)").arg(name);
    if (type == Type::Menu) {
        QStringList allowed;
        for (const auto &item : menu) {
            if (item.first == v)
                return {};
            allowed << QStringLiteral("%1 (%2)").arg(item.first).arg(item.second);
        }
        return QStringLiteral("%1 must be one of %2").arg(name, allowed.join(QLatin1String(", ")));
    }
    if (v < minimum || v > maximum)
        return QStringLiteral("%1 must be from %2 to %3").arg(name).arg(minimum).arg(maximum);
    if (step > 1 && (v - minimum) % step != 0)
        return QStringLiteral("%1 must be %2 plus a multiple of %3")
            .arg(name)
            .arg(minimum)
            .arg(step);
    return {};
}

const CameraControl *CameraControls::find(const QString &name) const
{
    for (const CameraControl &c : controls) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QJsonObject CameraControls::toJson() const
{
    QJsonArray list;
    for (const CameraControl &c : controls)
        list.append(c.toJson());
    QJsonObject o{{QStringLiteral("available"), available},
                  {QStringLiteral("camera"), camera},
                  {QStringLiteral("controls"), list}};
    if (!available)
        o.insert(QStringLiteral("reason"), reason);
    return o;
}

namespace Controls {

QString refusal(const CameraControls &controls, const ControlValues &values)
{
    if (!controls.available)
        return controls.reason;
    if (values.isEmpty())
        return QStringLiteral("no control given");
    for (const auto &[name, value] : values) {
        const CameraControl *control = controls.find(name);
        if (!control) {
            QStringList names;
            for (const CameraControl &c : controls.controls)
                names << c.name;
            return QStringLiteral("unknown control %1 (controls: %2)")
                .arg(name.left(64), names.join(QLatin1String(", ")));
        }
        const QString why = control->refusal(value, values.size() > 1);
        if (!why.isEmpty())
            return why;
    }
    return {};
}

ControlValues mastersFirst(const CameraControls &controls, ControlValues values)
{
    const auto rank = [&](const QString &name) {
        const CameraControl *c = controls.find(name);
        return c && c->type == CameraControl::Type::Integer ? 1 : 0;
    };
    std::stable_sort(values.begin(), values.end(),
                     [&](const auto &a, const auto &b) { return rank(a.first) < rank(b.first); });
    return values;
}

bool parseAssignment(const QString &text, QString *name, QString *value, QString *error)
{
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    if (eq <= 0 || eq == text.size() - 1) {
        *error
            = QStringLiteral("a control is NAME=VALUE (e.g. brightness=10), not \"%1\"").arg(text);
        return false;
    }
    *name = text.left(eq).trimmed();
    *value = text.mid(eq + 1).trimmed();
    return true;
}

bool parseValue(const CameraControl &control, const QString &text, qint64 *value, QString *error)
{
    bool ok = false;
    *value = text.toLongLong(&ok);
    if (ok)
        return true;
    const QString word = text.trimmed().toLower();
    if (control.type == CameraControl::Type::Boolean) {
        if (word == QLatin1String("true") || word == QLatin1String("on")) {
            *value = 1;
            return true;
        }
        if (word == QLatin1String("false") || word == QLatin1String("off")) {
            *value = 0;
            return true;
        }
    }
    for (const auto &item : control.menu) {
        if (item.second.toLower() == word) {
            *value = item.first;
            return true;
        }
    }
    *error = QStringLiteral("%1: \"%2\" is not a value (a number%3)")
                 .arg(control.name, text.left(64),
                      control.type == CameraControl::Type::Menu ? QStringLiteral(" or a menu name")
                          : control.type == CameraControl::Type::Boolean
                          ? QStringLiteral(", true or false")
                          : QString());
    return false;
}

} // namespace Controls
