#pragma once

#include "pipeline/optiontable.h"

#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

// Options from an INI file (read with QSettings): a key is an option's long name, a value its
// argument; a flag takes true/false; a repeatable option takes a list separated by ','. The keys
// are the option table's settings (pipeline/optiontable.h), so a row added there is settable in
// the file without further code. A [camera NAME] section is a camera: source= (what --camera
// NAME=SPEC gives) and the camera's own values of perCamera rows.
namespace ConfigFile {
QString defaultPath(); // /etc/mjpeg-kiosk.conf, the --config row's default

// Returns `arguments` (already parsed by `parser`) with the file's options appended, except
// those the command line gives: the command line wins. Each value gets its option's own check,
// so a bad one is reported with the file and the key; rules that join several options (one
// could be on the command line) are the caller's, on the merged list. A missing file is no
// error unless `required`. On error returns nothing and sets `error`.
// Cameras: the command line's (--camera, or --source's one) replace the file's (its sections'
// sources, or its source key), which become --camera arguments otherwise; a section's own values
// go to `sections` when it names a camera there will be (one without source must), for
// OptionTable::applyAll.
std::optional<QStringList> merge(const QCommandLineParser &parser, const QStringList &arguments,
                                 const QString &path, bool required, QString *error,
                                 OptionTable::CameraSections *sections = nullptr);
} // namespace ConfigFile
