#include "fakecamtest.h"
#include "quicksetup.h"

#include <QHostAddress>
#include <QQmlExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(MjpegKioskPlugin)

// The Camera page (tests/qml/camerapage.qml) against a real pipeline on the fake V4L2 camera
// (libfakecam.so preloaded by ctest): its controls, their inactive flags and events, what the
// page sets reaching the camera and /controls.
int main(int argc, char **argv)
{
    if (fakecamMissing())
        return kFakecamSkipped;
    PipelineConfig config;
    config.source = QStringLiteral("/dev/video0");
    config.resolution = QSize(640, 480);
    config.fps = 15;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.server.networkThreads = 1;
    PipelineQuickSetup setup(QStringLiteral("tst_camerapage"), config);
    return quick_test_main_with_setup(argc, argv, "camerapage", QUICK_TEST_SOURCE_DIR, &setup);
}
