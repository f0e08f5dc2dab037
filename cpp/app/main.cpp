#include "core/plugins.h"
#include "options.h"
#include "pipeline/pipeline.h"
#include "signalwatcher.h"
#include "systemdnotify.h"
#include "ui/kioskgui.h"

#include <QCursor>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>
#include <memory>

Q_LOGGING_CATEGORY(lcApp, "kiosk.app")

namespace {
int runApp(QCoreApplication &app, const Options &options)
{
    SignalWatcher signals_;
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, &app, [&app](int signo) {
        qCInfo(lcApp) << "signal" << signo << "- shutting down";
        app.quit();
    });

    const auto fail = [&app](const QString &why) {
        QTextStream(stderr) << app.applicationName() << ": " << why << '\n';
        return 1;
    };
    KioskGui *gui = nullptr;
    if (!options.headless) {
        QString error;
        gui = loadKioskPlugin<KioskGui>(QStringLiteral("gui"), &error);
        if (!gui)
            return fail(error + QStringLiteral(" (--headless runs without it)"));
    }

    PipelineConfig config = options.pipeline;
    // What the settings panel saved, unless the command line says otherwise.
    if (gui)
        gui->restoreSettings(&config, options.given);
    Pipeline pipeline;
    if (!pipeline.start(config))
        return fail(pipeline.errorString());
    QObject::connect(&signals_, &SignalWatcher::streamingRequested, &app, [&pipeline](bool on) {
        qCInfo(lcApp) << (on ? "SIGUSR2" : "SIGUSR1") << "- switching streaming"
                      << (on ? "on" : "off");
        pipeline.server()->setRunning(on);
    });
    const QString streamUrl = QStringLiteral("http://%1:%2/stream")
                                  .arg(config.server.host.toString())
                                  .arg(pipeline.server()->port());
    qCInfo(lcApp).noquote() << "streaming" << config.source << "at" << streamUrl;

    std::unique_ptr<QObject> window;
    if (gui) {
        // A kiosk on the bare framebuffer (eglfs) has no window manager and no mouse to show.
        const bool kiosk
            = options.kiosk || QGuiApplication::platformName() == QLatin1String("eglfs");
        if (kiosk)
            QGuiApplication::setOverrideCursor(Qt::BlankCursor);
        window = gui->show(&pipeline, kiosk);
        if (!window)
            return 1; // the QML engine has said why
    }
    SystemdNotifier systemd;
    systemd.ready(QStringLiteral("Serving %1 at %2").arg(config.source, streamUrl));
    const int status = app.exec();
    systemd.stopping();
    window.reset();
    pipeline.stop();
    return status;
}
} // namespace

int main(int argc, char **argv)
{
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-dd hh:mm:ss.zzz} %{if-category}%{category} "
                                      "%{endif}%{type}: %{message}"));
    QCoreApplication::setApplicationName(QStringLiteral("mjpeg-kiosk"));
    QCoreApplication::setOrganizationName(QStringLiteral("mjpeg-kiosk")); // ~/.config/mjpeg-kiosk/
    QCoreApplication::setApplicationVersion(QStringLiteral(KIOSK_VERSION));

    // Parsed before any application object exists: a wrong option must be reported even where
    // no display could be opened.
    Options options;
    QString message;
    Options::Outcome outcome;
    {
        QCoreApplication parsing(argc, argv); // QCommandLineParser's help wants one
        outcome = Options::parse(parsing.arguments(), &options, &message);
    }
    switch (outcome) {
    case Options::Outcome::ExitOk:
        QTextStream(stdout) << message << '\n';
        return 0;
    case Options::Outcome::ExitError:
        QTextStream(stderr) << message << '\n';
        return 2;
    case Options::Outcome::Run:
        break;
    }

    // Painting the test pattern and placeholders needs fonts, hence a QGuiApplication even
    // headless; the offscreen platform lets it run where there is no display at all.
    if (options.headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The settings panel takes text on a touchscreen without a hardware keyboard.
    if (!options.headless && qEnvironmentVariableIsEmpty("QT_IM_MODULE"))
        qputenv("QT_IM_MODULE", "qtvirtualkeyboard");
    QGuiApplication app(argc, argv);
    return runApp(app, options);
}
