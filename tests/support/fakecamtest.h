#pragma once

#include <QCoreApplication>
#include <QFileInfo>
#include <QTest>

#include <cstdio>

// Tests that run the real V4L2 path on the fake camera (../shared/tools/fakecam, built into the
// build tree as libfakecam.so at FAKECAM_LIBRARY) skip where it is absent, e.g. a user's clone
// without ../shared: exit code 77, which kiosk_add_qtest(... SKIP_RETURN_CODE 77) reports as
// skipped, with the reason on stdout.
inline bool fakecamMissing()
{
    if (QFileInfo::exists(QStringLiteral(FAKECAM_LIBRARY)))
        return false;
    std::printf("SKIP: %s is not built (needs ../shared/tools/fakecam next to the project; the "
                "'fakecam' target builds it)\n",
                FAKECAM_LIBRARY);
    return true;
}
constexpr int kFakecamSkipped = 77;

// main() of a QtTest class that needs the fake camera.
#define KIOSK_FAKECAM_TEST_MAIN(TestClass) \
    int main(int argc, char **argv) \
    { \
        if (fakecamMissing()) \
            return kFakecamSkipped; \
        QCoreApplication app(argc, argv); \
        TestClass test; \
        return QTest::qExec(&test, argc, argv); \
    }
