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

#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <fcntl.h>
#include <malloc.h>
#include <memory>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcApp, "kiosk.app")

namespace {
bool hasEnv(const char *name)
{
    return !qEnvironmentVariableIsEmpty(name);
}

// eglfs (KMS) and linuxfb draw on a device this process must be able to open read-write.
bool canOpen(const QStringList &paths)
{
    for (const QString &path : paths) {
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
    }
    return false;
}

// Whether the Qt platform `spec` (a QT_QPA_PLATFORM entry, "name:options") can open a window
// here; if not, *why says what is missing. Unknown platforms get the benefit of the doubt.
bool platformUsable(const QString &spec, QString *why)
{
    const QStringList parts = spec.split(QLatin1Char(':'));
    const QString name = parts.first();
    if (name == QLatin1String("xcb")) {
        *why = QStringLiteral("xcb: DISPLAY is not set");
        return hasEnv("DISPLAY");
    }
    if (name.startsWith(QLatin1String("wayland"))) {
        *why = QStringLiteral("%1: WAYLAND_DISPLAY is not set").arg(name);
        return hasEnv("WAYLAND_DISPLAY") || hasEnv("WAYLAND_SOCKET")
            || QFileInfo::exists(qEnvironmentVariable("XDG_RUNTIME_DIR")
                                 + QStringLiteral("/wayland-0"));
    }
    if (name == QLatin1String("eglfs")) {
        *why = QStringLiteral("eglfs: no /dev/dri/card* that can be opened");
        QStringList cards;
        for (const QString &card :
             QDir(QStringLiteral("/dev/dri")).entryList({QStringLiteral("card*")}, QDir::System))
            cards << QStringLiteral("/dev/dri/") + card;
        return hasEnv("QT_QPA_EGLFS_INTEGRATION") || canOpen(cards);
    }
    if (name == QLatin1String("linuxfb")) {
        QString device = QStringLiteral("/dev/fb0");
        for (const QString &option : parts.mid(1)) {
            if (option.startsWith(QLatin1String("fb=")))
                device = option.mid(3);
        }
        *why = QStringLiteral("linuxfb: cannot open %1").arg(device);
        return canOpen({device});
    }
    return true;
}

// Empty when a window can be opened; otherwise what was tried, for the one line that says why
// the kiosk serves headless. Mirrors Qt's own choice: QT_QPA_PLATFORM (a ';' list, each tried in
// turn), else X11 with DISPLAY, Wayland with WAYLAND_DISPLAY or a Wayland session.
QString whyNoWindow()
{
    QStringList tried;
    QString why;
    const QString platforms = qEnvironmentVariable("QT_QPA_PLATFORM");
    if (!platforms.isEmpty()) {
        for (const QString &spec : platforms.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
            if (platformUsable(spec, &why))
                return {};
            tried << why;
        }
        return QStringLiteral("QT_QPA_PLATFORM=%1 (%2)").arg(platforms, tried.join(", "));
    }
    if (hasEnv("DISPLAY") || hasEnv("WAYLAND_DISPLAY")
        || qgetenv("XDG_SESSION_TYPE") == QByteArrayLiteral("wayland"))
        return {};
    return QStringLiteral("tried X11 and Wayland, but neither DISPLAY nor WAYLAND_DISPLAY is set");
}

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
    const QString base = QStringLiteral("http://%1:%2/")
                             .arg(config.server.host.toString())
                             .arg(pipeline.server()->port());
    const QString streamUrl = base + QStringLiteral("stream");
    for (const Camera *camera : pipeline.cameras()) {
        // The first camera is at /stream as well.
        const QString url = camera == pipeline.camera() && pipeline.cameraCount() == 1
            ? streamUrl
            : base + QStringLiteral("camera/%1/stream").arg(camera->name());
        qCInfo(lcApp).noquote() << "streaming" << camera->config().source << "at" << url;
    }

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
    systemd.ready(
        pipeline.cameraCount() == 1
            ? QStringLiteral("Serving %1 at %2").arg(pipeline.camera()->config().source, streamUrl)
            : QStringLiteral("Serving %1 cameras at %2camera/")
                  .arg(pipeline.cameraCount())
                  .arg(base));
    const int status = app.exec();
    systemd.stopping();
    window.reset();
    pipeline.stop();
    return status;
}
} // namespace

int main(int argc, char **argv)
{
    // libjpeg allocates its whole-frame buffers for every frame it transforms (--rotate on an
    // MJPEG camera: several MB at 720p) and frees them again; above glibc's mmap threshold each
    // is a fresh mmap() and a page fault per 4 KiB, which measured 3-5x the cost of the
    // transform itself (docs/benchmarks.md). Served from the heap, and the heap not trimmed
    // after each, they are reused instead (memory freed stays with the process for the next).
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
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
        // Opening a window where none can be opened would abort in QGuiApplication: say so in
        // one line and serve as --headless would.
        const QString noWindow
            = outcome == Options::Outcome::Run && !options.headless ? whyNoWindow() : QString();
        if (!noWindow.isEmpty()) {
            qCWarning(lcApp).noquote() << "no window can be opened:" << noWindow
                                       << "- serving headless (choose with --headless, "
                                          "QT_QPA_PLATFORM=eglfs or a display)";
            outcome = Options::parse(parsing.arguments() << QStringLiteral("--headless"), &options,
                                     &message);
        }
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
    // headless; the offscreen platform lets it run where there is no display at all (whatever
    // QT_QPA_PLATFORM the environment names for the kiosk's screen).
    if (options.headless)
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The settings panel takes text on a touchscreen without a hardware keyboard.
    if (!options.headless && qEnvironmentVariableIsEmpty("QT_IM_MODULE"))
        qputenv("QT_IM_MODULE", "qtvirtualkeyboard");
    QGuiApplication app(argc, argv);
    return runApp(app, options);
}
