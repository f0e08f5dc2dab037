// Camera controls through the real V4L2 path, in process, on the fake camera (libfakecam.so
// preloaded by ctest): enumeration, setting and reading back, refusals, inactive flags following
// their auto switch, another program's change arriving as a control event, and the values set
// coming back after the camera is unplugged and plugged in again.

#include "capture/testpatternsource.h"
#include "capture/v4l2controls.h"
#include "capture/v4l2source.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace {
constexpr int kWaitMs = 30000;

// What another program sees: its own fd on the device.
struct OtherProgram
{
    int fd = ::open("/dev/video0", O_RDWR | O_NONBLOCK);
    ~OtherProgram() { ::close(fd); }
    int get(quint32 id) const
    {
        v4l2_control c{id, 0};
        return ioctl(fd, VIDIOC_G_CTRL, &c) == 0 ? c.value : -9999;
    }
    bool set(quint32 id, int value) const
    {
        v4l2_control c{id, value};
        return ioctl(fd, VIDIOC_S_CTRL, &c) == 0;
    }
};

const CameraControl &control(const V4l2Source &source, const QString &name)
{
    static CameraControl none;
    const CameraControl *c = source.controls().find(name);
    return c ? *c : none;
}
} // namespace

class TestV4l2Controls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void enumerates();
    void setsAndReadsBack();
    void negativeValuesReadBack();
    void refusesBadValuesApplyingNothing();
    void inactiveFollowsItsAutoSwitch();
    void anotherProgramsChangeShowsUp();
    void optionsAndSetValuesComeBackAfterReplug();
    void sourcesWithoutControlsSaySo();

private:
    // Sets and waits for the answer: the error (empty when applied).
    QString apply(const ControlValues &values, CameraControls *after = nullptr);

    std::unique_ptr<V4l2Source> m_source;
    quint64 m_requestId = 0;
};

void TestV4l2Controls::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral(FAKECAM_LIBRARY)))
        QSKIP("libfakecam.so is not built (../shared/tools/fakecam absent): no V4L2 control test");
    if (!qEnvironmentVariable("LD_PRELOAD").contains(QLatin1String("fakecam")))
        QSKIP("run through ctest, which preloads libfakecam.so");
}

void TestV4l2Controls::init()
{
    SourceOptions options;
    options.spec = QStringLiteral("/dev/video0");
    options.size = QSize(640, 480);
    if (QByteArray(QTest::currentTestFunction()) == "optionsAndSetValuesComeBackAfterReplug")
        options.controls
            = {QStringLiteral("brightness=7"), QStringLiteral("auto_exposure=Manual Mode"),
               QStringLiteral("exposure_time_absolute=300")};
    m_source = std::make_unique<V4l2Source>(options);
    m_source->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_source->info().online && m_source->controls().available, kWaitMs);
}

void TestV4l2Controls::cleanup()
{
    if (m_source)
        m_source->stop();
    m_source.reset();
    // The next test starts from the camera's defaults, as a camera just plugged in.
    OtherProgram other;
    for (const auto &[id, value] : QList<QPair<quint32, int>>{
             {V4L2_CID_BRIGHTNESS, 0}, {V4L2_CID_CONTRAST, 32}, {V4L2_CID_EXPOSURE_AUTO, 3}})
        other.set(id, value);
}

QString TestV4l2Controls::apply(const ControlValues &values, CameraControls *after)
{
    QSignalSpy spy(m_source.get(), &FrameSource::controlsApplied);
    const quint64 id = ++m_requestId;
    QMetaObject::invokeMethod(m_source.get(), "applyControls", Qt::QueuedConnection,
                              Q_ARG(quint64, id), Q_ARG(ControlValues, values));
    if (!spy.wait(kWaitMs))
        return QStringLiteral("no answer");
    const QList<QVariant> answer = spy.takeFirst();
    if (answer.at(0).toULongLong() != id)
        return QStringLiteral("answer to another request");
    if (after)
        *after = answer.at(1).value<CameraControls>();
    return answer.at(2).toString();
}

void TestV4l2Controls::enumerates()
{
    const CameraControls list = m_source->controls();
    QStringList names;
    for (const CameraControl &c : list.controls)
        names << c.name;
    QVERIFY2(list.controls.size() >= 13, qPrintable(names.join(' ')));
    // No /dev/v4l/by-id link here: the card's name and bus, for saving values per camera.
    QVERIFY2(list.camera.startsWith(QLatin1String("FakeCam virtual camera ")),
             qPrintable(list.camera));
    const CameraControl brightness = control(*m_source, QStringLiteral("brightness"));
    QCOMPARE(brightness.label, QStringLiteral("Brightness"));
    QCOMPARE(brightness.id, quint32(V4L2_CID_BRIGHTNESS));
    QCOMPARE(brightness.type, CameraControl::Type::Integer);
    QCOMPARE(brightness.minimum, -64);
    QCOMPARE(brightness.maximum, 64);
    QCOMPARE(brightness.value, brightness.defaultValue);
    QCOMPARE(brightness.group(), QStringLiteral("image"));
    const CameraControl autoExposure = control(*m_source, QStringLiteral("auto_exposure"));
    QCOMPARE(autoExposure.type, CameraControl::Type::Menu);
    QCOMPARE(autoExposure.value, 3);
    QVERIFY(autoExposure.menu.contains(qMakePair(qint64(1), QStringLiteral("Manual Mode"))));
    QCOMPARE(autoExposure.group(), QStringLiteral("exposure"));
    const CameraControl wb = control(*m_source, QStringLiteral("white_balance_automatic"));
    QCOMPARE(wb.type, CameraControl::Type::Boolean);
    QCOMPARE(wb.group(), QStringLiteral("white balance"));
    QVERIFY(control(*m_source, QStringLiteral("exposure_time_absolute")).inactive);
    QVERIFY(control(*m_source, QStringLiteral("white_balance_temperature")).inactive);
    QVERIFY(!brightness.inactive);
    // JSON as /controls answers it.
    const QJsonObject json = brightness.toJson();
    QCOMPARE(json.value("type").toString(), QStringLiteral("integer"));
    QCOMPARE(json.value("min").toInt(), -64);
    QVERIFY(autoExposure.toJson().contains(QLatin1String("menu")));
}

void TestV4l2Controls::setsAndReadsBack()
{
    CameraControls after;
    QCOMPARE(apply({{QStringLiteral("brightness"), 20}, {QStringLiteral("contrast"), 40}}, &after),
             QString());
    QCOMPARE(after.find(QStringLiteral("brightness"))->value, 20);
    QCOMPARE(control(*m_source, QStringLiteral("contrast")).value, 40);
    OtherProgram other;
    QCOMPARE(other.get(V4L2_CID_BRIGHTNESS), 20); // really on the device
    QCOMPARE(other.get(V4L2_CID_CONTRAST), 40);
}

void TestV4l2Controls::negativeValuesReadBack()
{
    // A 32-bit control's value is in the union's 32-bit member; its 64-bit one would read
    // -30 as 4294967266.
    OtherProgram other;
    QVERIFY(other.set(V4L2_CID_BRIGHTNESS, -30));
    const CameraControls list = V4l2Controls::read(other.fd);
    QCOMPARE(list.find(QStringLiteral("brightness"))->value, -30);
    CameraControls after = list;
    QCOMPARE(V4l2Controls::apply(other.fd, {{QStringLiteral("hue"), -7}}, &after), QString());
    QCOMPARE(after.find(QStringLiteral("hue"))->value, -7);
    QCOMPARE(after.find(QStringLiteral("brightness"))->value, -30);
    QVERIFY(other.set(V4L2_CID_HUE, 0)); // cleanup() puts back only what the others change
}

void TestV4l2Controls::refusesBadValuesApplyingNothing()
{
    const qint64 contrastBefore = control(*m_source, QStringLiteral("contrast")).value;
    QVERIFY(contrastBefore != 40);
    const auto refused = [&](const ControlValues &values, const QString &words) {
        const QString error = apply(values);
        if (!error.contains(words))
            qWarning() << "unexpected answer:" << error;
        return error.contains(words);
    };
    QVERIFY(refused({{QStringLiteral("brightness"), 65}},
                    QStringLiteral("brightness must be "
                                   "from -64 to 64")));
    QVERIFY(refused({{QStringLiteral("contrast"), 40}, {QStringLiteral("nosuch"), 1}},
                    QStringLiteral("unknown control nosuch")));
    QVERIFY(refused({{QStringLiteral("auto_exposure"), 7}},
                    QStringLiteral("auto_exposure must be one of")));
    QVERIFY(refused({{QStringLiteral("exposure_time_absolute"), 300}},
                    QStringLiteral("exposure_time_absolute is inactive")));
    QVERIFY(refused({}, QStringLiteral("no control given")));
    OtherProgram other;
    QCOMPARE(other.get(V4L2_CID_CONTRAST), contrastBefore); // not even the valid one
}

void TestV4l2Controls::inactiveFollowsItsAutoSwitch()
{
    QVERIFY(control(*m_source, QStringLiteral("exposure_time_absolute")).inactive);
    QCOMPARE(apply({{QStringLiteral("auto_exposure"), 1}}), QString());
    QVERIFY(!control(*m_source, QStringLiteral("exposure_time_absolute")).inactive);
    QCOMPARE(apply({{QStringLiteral("exposure_time_absolute"), 300}}), QString());
    OtherProgram other;
    QCOMPARE(other.get(V4L2_CID_EXPOSURE_ABSOLUTE), 300);
    QCOMPARE(apply({{QStringLiteral("auto_exposure"), 3}}), QString());
    QVERIFY(control(*m_source, QStringLiteral("exposure_time_absolute")).inactive);
    // Both in one request: the master first, by the device's rule.
    QCOMPARE(apply({{QStringLiteral("auto_exposure"), 1},
                    {QStringLiteral("exposure_time_absolute"), 200}}),
             QString());
    QCOMPARE(other.get(V4L2_CID_EXPOSURE_ABSOLUTE), 200);
}

void TestV4l2Controls::anotherProgramsChangeShowsUp()
{
    QSignalSpy changed(m_source.get(), &FrameSource::controlsChanged);
    OtherProgram other;
    QVERIFY(other.set(V4L2_CID_BRIGHTNESS, -10));
    QTRY_COMPARE_WITH_TIMEOUT(control(*m_source, QStringLiteral("brightness")).value, -10, kWaitMs);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().at(0).value<CameraControls>().find("brightness")->value, -10);
    // A flag that follows its switch, switched by the other program.
    QVERIFY(other.set(V4L2_CID_EXPOSURE_AUTO, 1));
    QTRY_VERIFY_WITH_TIMEOUT(!control(*m_source, QStringLiteral("exposure_time_absolute")).inactive,
                             kWaitMs);
    QCOMPARE(control(*m_source, QStringLiteral("auto_exposure")).value, 1);
}

void TestV4l2Controls::optionsAndSetValuesComeBackAfterReplug()
{
    // From the options (--control), the master before what it governs.
    QCOMPARE(control(*m_source, QStringLiteral("brightness")).value, 7);
    QCOMPARE(control(*m_source, QStringLiteral("auto_exposure")).value, 1);
    QCOMPARE(control(*m_source, QStringLiteral("exposure_time_absolute")).value, 300);
    QCOMPARE(apply({{QStringLiteral("contrast"), 50}}), QString());

    const QString unplug = qEnvironmentVariable("FAKECAM_UNPLUG_FILE");
    QVERIFY(!unplug.isEmpty());
    {
        QFile file(unplug);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    QTRY_VERIFY_WITH_TIMEOUT(!m_source->info().online, kWaitMs);
    QVERIFY(!m_source->controls().available);
    QCOMPARE(apply({{QStringLiteral("contrast"), 10}}),
             QStringLiteral("the camera is not connected"));
    QVERIFY(QFile::remove(unplug));
    QTRY_VERIFY_WITH_TIMEOUT(m_source->info().online && m_source->controls().available, kWaitMs);
    // The replugged camera started from its defaults; the source put every value back.
    OtherProgram other;
    QCOMPARE(other.get(V4L2_CID_BRIGHTNESS), 7);
    QCOMPARE(other.get(V4L2_CID_CONTRAST), 50);
    QCOMPARE(other.get(V4L2_CID_EXPOSURE_ABSOLUTE), 300);
    QCOMPARE(control(*m_source, QStringLiteral("contrast")).value, 50);
}

void TestV4l2Controls::sourcesWithoutControlsSaySo()
{
    TestPatternSource pattern(QSize(64, 48), 5);
    QVERIFY(!pattern.controls().available);
    QVERIFY(!pattern.controls().reason.isEmpty());
    QSignalSpy spy(&pattern, &FrameSource::controlsApplied);
    pattern.applyControls(5, {{QStringLiteral("brightness"), 1}});
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().at(0).toULongLong(), 5u);
    QCOMPARE(spy.first().at(2).toString(), QStringLiteral("this source has no controls"));
}

int main(int argc, char **argv)
{
    // Unplugging is driven by this file (the fake camera reads the variable at its first open).
    QTemporaryDir dir;
    qputenv("FAKECAM_UNPLUG_FILE", dir.filePath(QStringLiteral("unplug")).toLocal8Bit());
    QCoreApplication app(argc, argv);
    TestV4l2Controls test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_v4l2controls.moc"
