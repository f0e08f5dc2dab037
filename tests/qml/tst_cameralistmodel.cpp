// Kiosk.cameras (CameraListModel) on a real pipeline with several test-pattern cameras: a row per
// camera in order, each row following its own camera (source, privacy, streaming), the server's
// figures landing on the row they belong to, and cameras added, renamed and removed live
// changing only their own rows (no reset: the grid's other tiles keep their items).

#include "http/camerachannel.h"
#include "pipeline/camera.h"
#include "pipeline/pipeline.h"
#include "ui/cameralistmodel.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class TestCameraListModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void aRowPerCameraInOrder();
    void eachRowFollowsItsCamera();
    void figuresLandOnTheirRow();
    void camerasComeAndGoRowByRow();
    void stateSaysWhatMattersMost();

private:
    QVariant role(int row, int role) const { return m_model->data(m_model->index(row), role); }

    QTemporaryDir m_config;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<CameraListModel> m_model;
};

namespace {
CameraConfig testCamera(const QString &name)
{
    CameraConfig camera;
    camera.name = name;
    camera.source = QStringLiteral("test:") + name;
    camera.resolution = QSize(160, 120);
    camera.fps = 10;
    return camera;
}
} // namespace

void TestCameraListModel::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
}

void TestCameraListModel::init()
{
    PipelineConfig config;
    config.server.host = QHostAddress::LocalHost;
    config.server.port = 0;
    config.server.networkThreads = 1;
    config.cameras = {testCamera(QStringLiteral("door")), testCamera(QStringLiteral("yard")),
                      testCamera(QStringLiteral("lab"))};
    m_pipeline = std::make_unique<Pipeline>();
    QVERIFY2(m_pipeline->start(config), qPrintable(m_pipeline->errorString()));
    m_model = std::make_unique<CameraListModel>(m_pipeline.get());
}

void TestCameraListModel::cleanup()
{
    m_model.reset();
    m_pipeline.reset();
}

void TestCameraListModel::aRowPerCameraInOrder()
{
    QCOMPARE(m_model->rowCount(), 3);
    const QStringList names{"door", "yard", "lab"};
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(role(row, CameraListModel::NameRole).toString(), names[row]);
        QCOMPARE(m_model->camera(row), m_pipeline->camera(row));
        QCOMPARE(role(row, CameraListModel::PreviewRole).value<PreviewStage *>(),
                 m_pipeline->camera(row)->preview());
        QTRY_VERIFY_WITH_TIMEOUT(role(row, CameraListModel::OnlineRole).toBool(), 10000);
        QCOMPARE(role(row, CameraListModel::StateRole).toString(), QString());
    }
    QCOMPARE(m_model->roleNames().value(CameraListModel::StateRole), QByteArray("state"));
}

void TestCameraListModel::eachRowFollowsItsCamera()
{
    for (int row = 0; row < 3; ++row)
        QTRY_VERIFY_WITH_TIMEOUT(role(row, CameraListModel::OnlineRole).toBool(), 10000);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_pipeline->camera(1)->setPrivacy(true);
    QTRY_COMPARE(role(1, CameraListModel::StateRole).toString(), QStringLiteral("privacy"));
    QVERIFY(role(1, CameraListModel::PrivacyRole).toBool());
    for (const auto &args : std::as_const(changed))
        QCOMPARE(args.at(0).toModelIndex().row(), 1); // no other row moved
    QVERIFY(!role(0, CameraListModel::PrivacyRole).toBool());
    m_pipeline->camera(1)->setPrivacy(false);
    QTRY_COMPARE(role(1, CameraListModel::StateRole).toString(), QString());

    // Its own streaming switch, then the global one (which every camera's follows).
    m_pipeline->camera(2)->channel()->setRunning(false);
    QTRY_COMPARE(role(2, CameraListModel::StateRole).toString(), QStringLiteral("off"));
    QCOMPARE(role(0, CameraListModel::StateRole).toString(), QString());
    m_pipeline->camera(2)->channel()->setRunning(true);
    QTRY_COMPARE(role(2, CameraListModel::StateRole).toString(), QString());
    m_pipeline->server()->setRunning(false);
    for (int row = 0; row < 3; ++row)
        QTRY_VERIFY(!role(row, CameraListModel::StreamingRole).toBool());
    m_pipeline->server()->setRunning(true);
    for (int row = 0; row < 3; ++row)
        QTRY_VERIFY(role(row, CameraListModel::StreamingRole).toBool());

    // A source that cannot open: that row says so, with the source's description.
    m_pipeline->camera(0)->setSource(QStringLiteral("/dev/video57"), QSize(160, 120), 10);
    QTRY_COMPARE_WITH_TIMEOUT(role(0, CameraListModel::StateRole).toString(),
                              QStringLiteral("no signal"), 10000);
    QVERIFY(role(0, CameraListModel::DescriptionRole).toString().contains("video57"));
    QCOMPARE(role(1, CameraListModel::StateRole).toString(), QString());
}

void TestCameraListModel::figuresLandOnTheirRow()
{
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->setFigures({{QStringLiteral("yard"), 3, 29.5}, {QStringLiteral("nobody"), 7, 1}});
    QCOMPARE(role(1, CameraListModel::ViewersRole).toInt(), 3);
    QCOMPARE(role(1, CameraListModel::FpsRole).toDouble(), 29.5);
    QCOMPARE(role(0, CameraListModel::ViewersRole).toInt(), 0);
    QCOMPARE(changed.size(), 1);
    // The same figures again change nothing (no repaint of the tile for nothing).
    m_model->setFigures({{QStringLiteral("yard"), 3, 29.5}});
    QCOMPARE(changed.size(), 1);
}

void TestCameraListModel::camerasComeAndGoRowByRow()
{
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy count(m_model.get(), &CameraListModel::countChanged);
    QString error;
    QVERIFY2(m_pipeline->addCamera(testCamera(QStringLiteral("shed")), &error), qPrintable(error));
    QTRY_COMPARE(m_model->rowCount(), 4);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(role(3, CameraListModel::NameRole).toString(), QStringLiteral("shed"));
    QTRY_VERIFY_WITH_TIMEOUT(role(3, CameraListModel::OnlineRole).toBool(), 10000);

    QVERIFY2(m_pipeline->renameCamera(QStringLiteral("yard"), QStringLiteral("garden"), &error),
             qPrintable(error));
    QTRY_COMPARE(role(1, CameraListModel::NameRole).toString(), QStringLiteral("garden"));

    QVERIFY2(m_pipeline->removeCamera(QStringLiteral("door"), &error), qPrintable(error));
    QTRY_COMPARE(m_model->rowCount(), 3);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(role(0, CameraListModel::NameRole).toString(), QStringLiteral("garden"));
    QCOMPARE(reset.size(), 0);
    QCOMPARE(count.size(), 2);
    // The rows removed are gone from the figures too: a late one for "door" lands nowhere.
    m_model->setFigures({{QStringLiteral("door"), 5, 30}});
    for (int row = 0; row < 3; ++row)
        QCOMPARE(role(row, CameraListModel::ViewersRole).toInt(), 0);
}

void TestCameraListModel::stateSaysWhatMattersMost()
{
    QCOMPARE(CameraListModel::stateOf(true, false, true), QString());
    QCOMPARE(CameraListModel::stateOf(false, true, false), QStringLiteral("no signal"));
    QCOMPARE(CameraListModel::stateOf(true, true, false), QStringLiteral("privacy"));
    QCOMPARE(CameraListModel::stateOf(true, false, false), QStringLiteral("off"));
}

QTEST_MAIN(TestCameraListModel)
#include "tst_cameralistmodel.moc"
