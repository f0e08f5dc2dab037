#pragma once

#include <QObject>
#include <QString>

// The kiosk's own plugins (heavy sources, the GUI) sit in "plugins/" next to the core library,
// both in the build tree and where the package installs them; they are found from the core
// library's own location, so an unpacked or relocated install works as well.
QString kioskPluginDirectory();

// Loads plugins/libmjpeg-kiosk-<name>.so once and returns its root object (which lives as long
// as the process), or nullptr with *error saying what went wrong.
QObject *loadKioskPlugin(const QString &name, QString *error);

// Casts a plugin's root object to the interface it is loaded for, or fails with *error.
template<typename Interface> Interface *loadKioskPlugin(const QString &name, QString *error)
{
    QObject *root = loadKioskPlugin(name, error);
    if (!root)
        return nullptr;
    auto *interface = qobject_cast<Interface *>(root);
    if (!interface)
        *error = QStringLiteral("%1: the plugin does not implement %2")
                     .arg(name, QLatin1String(qobject_interface_iid<Interface *>()));
    return interface;
}
