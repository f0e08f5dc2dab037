#include "configfile.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

namespace {
enum class Kind { Unknown, Flag, Value };

// What the parser makes of "--key": QCommandLineParser does not list its options, so ask it.
// A flag leaves the probe argument positional, a valued option takes it, an unknown one fails.
Kind kindOf(QCommandLineParser &parser, const QString &key)
{
    const QString probe = QStringLiteral("probe-value");
    if (!parser.parse({QStringLiteral("app"), QStringLiteral("--") + key, probe}))
        return Kind::Unknown;
    return parser.positionalArguments() == QStringList{probe} ? Kind::Flag : Kind::Value;
}

std::optional<bool> toBool(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"true" || t == u"yes" || t == u"on" || t == u"1")
        return true;
    if (t == u"false" || t == u"no" || t == u"off" || t == u"0")
        return false;
    return std::nullopt;
}
} // namespace

QString ConfigFile::defaultPath()
{
    return QStringLiteral("/etc/mjpeg-kiosk.conf");
}

std::optional<QStringList> ConfigFile::merge(QCommandLineParser &parser,
                                             const QStringList &arguments, const QString &path,
                                             bool required, const Check &check, QString *error)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        if (!required)
            return arguments;
        *error = QStringLiteral("%1: no such file").arg(path);
        return std::nullopt;
    }
    if (!info.isFile() || !info.isReadable()) {
        *error = QStringLiteral("%1: cannot read it").arg(path);
        return std::nullopt;
    }
    const QSettings settings(path, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError) {
        *error = QStringLiteral("%1: not a valid INI file").arg(path);
        return std::nullopt;
    }

    // Probing reuses the parser: classify every key first, then ask what the command line set.
    static const QStringList notInFile{QStringLiteral("help"),    QStringLiteral("h"),
                                       QStringLiteral("version"), QStringLiteral("v"),
                                       QStringLiteral("config"),  QStringLiteral("list-sources")};
    // QSettings knows only ';' comments; a '#' line holding a '=' comes back as a key.
    QStringList keys = settings.allKeys();
    keys.removeIf([](const QString &key) { return key.startsWith(u'#'); });
    QList<Kind> kinds;
    for (const QString &key : keys)
        kinds.append(key.contains(u'/') || notInFile.contains(key) ? Kind::Unknown
                                                                   : kindOf(parser, key));
    parser.parse(arguments); // leaves the parser as the caller had it

    QStringList merged = arguments;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QString &key = keys[i];
        const auto fail = [&](const QString &what) {
            *error = QStringLiteral("%1: key '%2': %3").arg(path, key, what);
            return std::nullopt;
        };
        if (kinds[i] == Kind::Unknown)
            return fail(QStringLiteral("no such option (see --help)"));
        if (parser.isSet(key))
            continue; // the command line wins
        // An unquoted value with commas comes back from QSettings as a list: put it together.
        const QVariant raw = settings.value(key);
        const QString value = raw.typeId() == QMetaType::QStringList ? raw.toStringList().join(u',')
                                                                     : raw.toString();
        QStringList option{QStringLiteral("--") + key};
        if (kinds[i] == Kind::Flag) {
            const auto on = toBool(value);
            if (!on)
                return fail(QStringLiteral("'%1' is not true or false").arg(value));
            if (!*on)
                continue;
        } else {
            option.append(value);
        }
        if (const QString problem = check(arguments + option); !problem.isEmpty())
            return fail(problem);
        merged += option;
    }
    return merged;
}
