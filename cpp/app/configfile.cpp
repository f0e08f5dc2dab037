#include "configfile.h"

#include "pipeline/optiontable.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

namespace {
std::optional<bool> toBool(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"true" || t == u"yes" || t == u"on" || t == u"1")
        return true;
    if (t == u"false" || t == u"no" || t == u"off" || t == u"0")
        return false;
    return std::nullopt;
}

// The command-line arguments that say what `value` says for `row`: none for a flag that is
// false, one "--name value" per item of a repeatable option's list. Empty with `problem` set
// when the value cannot be one.
QList<QStringList> argumentsFor(const OptionSpec &row, const QString &value, QString *problem)
{
    const QString option = QStringLiteral("--") + row.name;
    if (row.isFlag()) {
        const auto on = toBool(value);
        if (!on)
            *problem = QStringLiteral("'%1' is not true or false").arg(value);
        return on.value_or(false) ? QList<QStringList>{{option}} : QList<QStringList>{};
    }
    if (!row.repeatable)
        return {{option, value}};
    QList<QStringList> each;
    for (const QString &item : value.split(u','))
        each.append({option, item.trimmed()});
    return each;
}

// QSettings hands an unquoted value with commas back as a list: put it together.
QString valueText(const QVariant &raw)
{
    return raw.typeId() == QMetaType::QStringList ? raw.toStringList().join(u',') : raw.toString();
}
} // namespace

QString ConfigFile::defaultPath()
{
    return OptionTable::find(QStringLiteral("config"))->fixedDefault;
}

std::optional<QStringList> ConfigFile::merge(const QCommandLineParser &parser,
                                             const QStringList &arguments, const QString &path,
                                             bool required, QString *error)
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

    QStringList merged = arguments;
    for (const QString &key : settings.allKeys()) {
        if (key.startsWith(u'#'))
            continue; // QSettings knows only ';' comments; a '#' line holding a '=' is a key
        const auto fail = [&](const QString &what) {
            *error = QStringLiteral("%1: key '%2': %3").arg(path, key, what);
            return std::nullopt;
        };
        // Sections ("server/port") and actions (help, config) are no settings.
        const OptionSpec *row = OptionTable::find(key);
        if (!row || row->kind != OptionSpec::Kind::Setting)
            return fail(QStringLiteral("no such option (see --help)"));
        if (parser.isSet(key))
            continue; // the command line wins
        QString problem;
        const QList<QStringList> options
            = argumentsFor(*row, valueText(settings.value(key)), &problem);
        for (const QStringList &option : options) {
            PipelineConfig scratch;
            if (problem.isEmpty() && row->apply)
                problem = row->apply(option.value(1), &scratch);
            merged += option;
        }
        if (!problem.isEmpty())
            return fail(problem);
    }
    return merged;
}
