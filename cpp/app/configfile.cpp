#include "configfile.h"

#include "pipeline/optiontable.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>

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

const QString kCameraGroup = QStringLiteral("camera ");
const QString kSource = QStringLiteral("source");
const QString kCamera = QStringLiteral("camera");

// A [camera NAME] section.
struct FileCamera
{
    QString name;
    QString source; // empty: none (the section only sets values of a camera named elsewhere)
    OptionTable::CameraValues own;
};

// The names of the rows a camera section takes, for the message refusing another key.
QString cameraKeys()
{
    QStringList names;
    for (const OptionSpec &row : OptionTable::rows()) {
        if (row.perCamera)
            names.append(row.name);
    }
    return names.join(QLatin1String(", "));
}

// One key of a camera section onto `camera`, its values checked as the command line's would be.
QString readCameraKey(const QSettings &settings, const QString &group, const QString &key,
                      FileCamera *camera)
{
    const QString value = valueText(settings.value(group + u'/' + key));
    if (key == kSource) {
        camera->source = value.trimmed();
        return camera->source.isEmpty() ? QStringLiteral("source must not be empty") : QString();
    }
    const OptionSpec *row = OptionTable::find(key);
    if (!row || row->kind != OptionSpec::Kind::Setting)
        return QStringLiteral("no such option (see --help)");
    if (!row->perCamera)
        return QStringLiteral("not a camera's own setting (a camera section takes %1)")
            .arg(cameraKeys());
    QString problem;
    const QList<QStringList> options = argumentsFor(*row, value, &problem);
    CameraConfig scratch;
    for (const QStringList &option : options) {
        if (problem.isEmpty())
            problem = OptionTable::applyToCamera(*row, option.value(1), &scratch);
        camera->own[key].append(option.value(1));
    }
    return problem;
}

// The file's [camera NAME] sections in the order they are written (QSettings sorts its groups;
// the first camera is the one /stream serves), each key checked. On error sets `error`.
std::optional<QList<FileCamera>> readCameras(QSettings &settings, const QString &path,
                                             QString *error)
{
    QFile raw(path);
    const QString text
        = raw.open(QIODevice::ReadOnly) ? QString::fromUtf8(raw.readAll()) : QString();
    QStringList groups = settings.childGroups();
    groups.erase(std::remove_if(groups.begin(), groups.end(),
                                [](const QString &g) { return !g.startsWith(kCameraGroup); }),
                 groups.end());
    const auto written = [&text](const QString &group) {
        const qsizetype at = text.indexOf(u'[' + group + u']');
        return at < 0 ? text.size() : at;
    };
    std::stable_sort(groups.begin(), groups.end(), [&written](const QString &a, const QString &b) {
        return written(a) < written(b);
    });
    QList<FileCamera> cameras;
    for (const QString &group : groups) {
        FileCamera camera;
        camera.name = group.mid(kCameraGroup.size());
        const auto fail = [&](const QString &what) {
            *error = QStringLiteral("%1: [%2]: %3").arg(path, group, what);
            return std::nullopt;
        };
        if (const QString bad = CameraConfig::checkCameraName(camera.name); !bad.isEmpty())
            return fail(bad);
        settings.beginGroup(group);
        const QStringList keys = settings.childKeys();
        const QStringList nested = settings.childGroups(); // "a/b = 1" in the section
        settings.endGroup();
        if (!nested.isEmpty())
            return fail(QStringLiteral("key '%1/...': no such option (see --help)").arg(nested[0]));
        for (const QString &key : keys) {
            if (key.startsWith(u'#'))
                continue;
            if (const QString bad = readCameraKey(settings, group, key, &camera); !bad.isEmpty())
                return fail(QStringLiteral("key '%1': %2").arg(key, bad));
        }
        cameras.append(camera);
    }
    return cameras;
}

// The cameras there will be, by name: the command line's, else the file's sections with a source,
// else --source's one camera.
QStringList cameraNames(const QCommandLineParser &parser, const QList<FileCamera> &fileCameras)
{
    QStringList names;
    if (parser.isSet(kCamera)) {
        for (const QString &value : parser.values(kCamera))
            names.append(value.section(u'=', 0, 0).trimmed());
    } else if (!parser.isSet(kSource)) {
        for (const FileCamera &camera : fileCameras) {
            if (!camera.source.isEmpty())
                names.append(camera.name);
        }
    }
    return names.isEmpty() ? QStringList{CameraConfig().name} : names;
}

// The file's cameras onto `merged` (--camera arguments) unless the command line names its own,
// and their own values onto `sections`. Returns what is wrong, naming the file, or "".
QString mergeCameras(const QCommandLineParser &parser, const QSettings &settings,
                     const QString &path, const QList<FileCamera> &fileCameras, QStringList *merged,
                     OptionTable::CameraSections *sections)
{
    const bool commandLineCameras = parser.isSet(kCamera) || parser.isSet(kSource);
    QList<CameraConfig> withSource;
    for (const FileCamera &camera : fileCameras) {
        if (camera.source.isEmpty())
            continue;
        CameraConfig config;
        config.name = camera.name;
        config.source = camera.source;
        withSource.append(config);
    }
    if (!commandLineCameras && !withSource.isEmpty()) {
        if (settings.contains(kSource))
            return QStringLiteral("%1: give source or [camera NAME] sections with a source, not "
                                  "both")
                .arg(path);
        if (const QString error = CameraConfig::checkCameraList(withSource); !error.isEmpty())
            return QStringLiteral("%1: %2").arg(path, error);
        for (const CameraConfig &camera : withSource)
            *merged += {QStringLiteral("--camera"), camera.name + u'=' + camera.source};
    }
    const QStringList names = cameraNames(parser, fileCameras);
    for (const FileCamera &camera : fileCameras) {
        if (names.contains(camera.name)) {
            if (sections && !camera.own.isEmpty())
                sections->insert(camera.name, camera.own);
        } else if (camera.source.isEmpty()) {
            return QStringLiteral("%1: [camera %2]: no source, and no camera is named %2 (the "
                                  "cameras: %3)")
                .arg(path, camera.name, names.join(QLatin1String(", ")));
        }
    }
    return {};
}
} // namespace

QString ConfigFile::defaultPath()
{
    return OptionTable::find(QStringLiteral("config"))->fixedDefault;
}

std::optional<QStringList> ConfigFile::merge(const QCommandLineParser &parser,
                                             const QStringList &arguments, const QString &path,
                                             bool required, QString *error,
                                             OptionTable::CameraSections *sections)
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
    QSettings settings(path, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError) {
        *error = QStringLiteral("%1: not a valid INI file").arg(path);
        return std::nullopt;
    }
    const auto fileCameras = readCameras(settings, path, error);
    if (!fileCameras)
        return std::nullopt;

    QStringList merged = arguments;
    for (const QString &key : settings.allKeys()) {
        if (key.startsWith(u'#') || key.startsWith(kCameraGroup))
            continue; // QSettings knows only ';' comments; a '#' line holding a '=' is a key
        const auto fail = [&](const QString &what) {
            *error = QStringLiteral("%1: key '%2': %3").arg(path, key, what);
            return std::nullopt;
        };
        // Sections ("server/port") and actions (help, config) are no settings.
        const OptionSpec *row = OptionTable::find(key);
        if (!row || row->kind == OptionSpec::Kind::Action)
            return fail(QStringLiteral("no such option (see --help)"));
        if (row->kind == OptionSpec::Kind::CommandLine)
            return fail(QStringLiteral("a camera is a [camera NAME] section holding source=SPEC "
                                       "in the file"));
        // The command line wins; its cameras replace the file's.
        if (parser.isSet(key) || (key == kSource && parser.isSet(kCamera)))
            continue;
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
    if (const QString problem
        = mergeCameras(parser, settings, path, *fileCameras, &merged, sections);
        !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    return merged;
}
