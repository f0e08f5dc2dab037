#pragma once

#include "pipelineconfig.h"

#include <QCommandLineOption>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// Every option of the program, described once: its name, value syntax, default, range, help and
// the PipelineConfig field it sets. The command line (app/options.cpp), the config file
// (app/configfile.cpp), --help and so the man page (help2man reads --help) and the settings
// panel's checks (ui/kiosksettings.cpp) all read this table; a new option is one row plus the
// field it sets.
//
// Why here, beside PipelineConfig: the rows set PipelineConfig, and the settings panel (ui/) may
// include pipeline/ but not app/ (includes point app → ui → pipeline). Rows the program handles
// itself (help, version, headless, kiosk, list-sources, config) are in the table too, without a
// target, so that --help lists every option in one order and the config file knows every key.
struct OptionSpec
{
    using Read = std::function<QString(const PipelineConfig &config)>;
    using Apply = std::function<QString(const QString &text, PipelineConfig *config)>;

    enum class Kind {
        Setting, // command line and config file
        Action, // command line only: prints something and exits, or names the config file
        // Command line only, the config file saying it its own way: --camera NAME=SPEC is a
        // [camera NAME] section holding source=SPEC there.
        CommandLine,
    };

    QString name; // --name, and the key in the config file and the settings panel
    QString valueName; // the value's syntax in --help ("WxH"); empty: a flag
    // One sentence for --help. "{default}", "{min}" and "{max}" stand for the row's default and
    // range (also in valueName), so each is written once, in the struct or the row.
    QString help;
    // The row's value in `config` as text that `apply` takes back; null when the row sets no
    // PipelineConfig field (the program reads it from the parser itself).
    Read read;
    // Checks `text` and stores it in `config`. Returns what is wrong, naming the option, or "".
    // Runs only for values given; an option not given keeps the struct's default.
    Apply apply;
    Kind kind = Kind::Setting;
    QString shortName; // -h, -v; empty: none
    bool repeatable = false; // each value is applied in turn; a config file lists them with ','
    bool inSettingsPanel = false; // the panel offers it, saves it and restores it at start
    // A camera's own setting (a CameraConfig field): each camera starts from the top level's
    // value and its [camera NAME] section may set another (OptionTable::applyAll).
    bool perCamera = false;
    QString excludes; // an option that may not be given together with this one
    std::optional<double> minimum; // the range {min}/{max} stand for, when there is one
    std::optional<double> maximum;
    QString fixedDefault; // the default of a row without `read`

    bool isFlag() const { return valueName.isEmpty(); }
    QString defaultText() const; // read(PipelineConfig()) or fixedDefault
    QString helpText() const; // help with {default}, {min} and {max} filled in
    QCommandLineOption commandLineOption() const;
};

namespace OptionTable {
// Every option, in --help order.
const QList<OptionSpec> &rows();
// The row named `name` (long name only), or null.
const OptionSpec *find(const QString &name);

// The values given for a row: one per occurrence; a flag given yields {"true"}.
using ValuesOf = std::function<QStringList(const OptionSpec &row)>;
// One camera's own values, by option name (perCamera rows): a config file's [camera NAME]
// section, or what the settings panel saved for a camera. Each replaces the top level's values of
// that option for that camera.
using CameraValues = QMap<QString, QStringList>;
// Cameras' own values by camera name.
using CameraSections = QMap<QString, CameraValues>;

// Whether the rules that join several options (`excludes`, the TLS file pair) are checked: not
// on a part of what will be given (the command line before the config file is merged in).
enum class JointRules { Check, Skip };
// Applies every given value onto `config`, in table order: options that exclude each other
// first, then each row's check, then the cameras (applyCameras), then the rules that join
// several options. Returns the first error (naming the option) or "".
QString applyAll(const ValuesOf &valuesOf, PipelineConfig *config,
                 JointRules joint = JointRules::Check, const CameraSections &sections = {});
// Makes each of config->cameras (named, with a source: --camera) whole: the top level's camera
// settings (already applied to *config, so the order they were given in does not matter), its
// own values (sections) instead where it has them (cameraWith). A section for "main" with no
// cameras listed makes --source's camera the list's one camera; a section naming no camera is
// an error.
QString applyCameras(const CameraSections &sections, PipelineConfig *config);
// `base` with `own`'s values instead of its own for the rows `own` names, into `camera`: each
// perCamera row applied afresh (read back from `base` or taken from `own`), so a repeatable
// row's list is replaced, not added to. Error: what is wrong, naming the option.
QString cameraWith(const CameraConfig &base, const CameraValues &own, CameraConfig *camera);
// Applies `row` (perCamera) to one camera's config, as it would apply to the top level's.
QString applyToCamera(const OptionSpec &row, const QString &text, CameraConfig *camera);
// `row`'s value (perCamera) in one camera's config.
QString readCamera(const OptionSpec &row, const CameraConfig &camera);
// The rules that join several options (TLS file pair, a crop inside the rotated resolution of
// every camera), on a finished config: what is wrong, naming the options, or "".
QString checkTogether(const PipelineConfig &config);
} // namespace OptionTable
