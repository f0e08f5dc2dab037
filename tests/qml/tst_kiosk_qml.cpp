#include "quicksetup.h"

#include <QHostAddress>
#include <QQmlExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(MjpegKioskPlugin)

// One real pipeline for every QML test file: the test pattern, small and slow enough to be
// light, its server on a free port of 127.0.0.1.
static PipelineConfig testPatternConfig()
{
    PipelineConfig config;
    config.source = QStringLiteral("test");
    config.resolution = QSize(320, 240);
    config.fps = 15;
    config.quality = 70;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.server.networkThreads = 2;
    // A size smaller than the 320x240 source, for the viewer list's profiles.
    config.server.profileWidths = {0, 160};
    return config;
}

class Setup : public PipelineQuickSetup
{
public:
    Setup()
        : PipelineQuickSetup(QStringLiteral("tst_kiosk_qml"), testPatternConfig())
    { }
};

QUICK_TEST_MAIN_WITH_SETUP(kiosk_qml, Setup)
