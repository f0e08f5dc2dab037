#pragma once

#include "pipeline/pipelineconfig.h"

#include <QString>
#include <QStringList>

// The command line (and the config file it names), checked against the option table
// (pipeline/optiontable.h). A wrong option or value yields a message saying what is wrong.
struct Options
{
    PipelineConfig pipeline;
    bool headless = false;
    bool kiosk = false;
    QStringList given; // the options named on the command line (saved settings yield to them)

    enum class Outcome { Run, ExitOk, ExitError };
    // Parses argv; on ExitOk/ExitError `message` holds what to print (help, version or error).
    static Outcome parse(const QStringList &arguments, Options *options, QString *message);
};
