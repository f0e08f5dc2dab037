#pragma once

#include <QStringList>
#include <QtPlugin>

#include <memory>

class Pipeline;
struct PipelineConfig;

// The kiosk's screen, in a plugin of its own (libmjpeg-kiosk-gui.so) so that a headless server
// never maps Qt Quick, QML and their graphics stack: main() loads it only without --headless.
class KioskGui
{
public:
    virtual ~KioskGui() = default;
    // What the settings panel saved, except for the options named on the command line.
    virtual void restoreSettings(PipelineConfig *config, const QStringList &given) = 0;
    // Shows the kiosk's window driving `pipeline`; the returned object (the QML engine) keeps
    // it up and must go before the pipeline does. Null if the QML failed to load.
    virtual std::unique_ptr<QObject> show(Pipeline *pipeline, bool kioskMode) = 0;
};

#define KioskGui_iid "org.mjpeg-kiosk.Gui/1.0"
Q_DECLARE_INTERFACE(KioskGui, KioskGui_iid)
