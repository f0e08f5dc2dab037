#include "plugins.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QPluginLoader>

#include <dlfcn.h>

QString kioskPluginDirectory()
{
    Dl_info self{};
    if (!dladdr(reinterpret_cast<void *>(&kioskPluginDirectory), &self) || !self.dli_fname)
        return {};
    return QFileInfo(QFile::decodeName(self.dli_fname))
        .absoluteDir()
        .filePath(QStringLiteral("plugins"));
}

QObject *loadKioskPlugin(const QString &name, QString *error)
{
    static QMutex mutex;
    static QHash<QString, QObject *> loaded;
    QMutexLocker lock(&mutex);
    if (QObject *root = loaded.value(name))
        return root;
    const QString path
        = QDir(kioskPluginDirectory()).filePath(QStringLiteral("libmjpeg-kiosk-%1.so").arg(name));
    if (!QFileInfo::exists(path)) {
        *error = QStringLiteral("%1 is not installed (no %2)").arg(name, path);
        return nullptr;
    }
    // Never unloaded: objects it made may outlive any one user.
    QPluginLoader loader(path);
    QObject *root = loader.instance();
    if (!root) {
        *error = QStringLiteral("cannot load %1: %2").arg(path, loader.errorString());
        return nullptr;
    }
    loaded.insert(name, root);
    return root;
}
