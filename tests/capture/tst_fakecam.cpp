#include "mjpegviewer.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <cstdio>

// The real app reading the fake V4L2 camera (shared/tools/fakecam, LD_PRELOAD).
class TestFakecam : public QObject
{
    Q_OBJECT
private:
    // Starts the app; *port stays 0 when it does not come up.
    QProcess *startApp(const QString &formats, const QStringList &extra, quint16 *port)
    {
        auto *app = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(FAKECAM_LIBRARY));
        env.insert(QStringLiteral("FAKECAM_FORMATS"), formats);
        app->setProcessEnvironment(env);
        app->setProcessChannelMode(QProcess::MergedChannels);
        app->start(QStringLiteral(KIOSK_APP),
                   QStringList{"--headless", "--source", "/dev/video0", "--port", "0", "--host",
                               "127.0.0.1", "--resolution", "640x480", "--fps", "15"}
                       + extra);
        QByteArray log;
        const QRegularExpression listening(QStringLiteral("port (\\d+)"));
        QDeadlineTimer deadline(20000);
        while (!listening.match(QString::fromUtf8(log)).hasMatch() && !deadline.hasExpired()) {
            app->waitForReadyRead(200);
            log += app->readAll();
        }
        *port = quint16(listening.match(QString::fromUtf8(log)).captured(1).toUInt());
        return app;
    }

    QJsonObject status(quint16 port)
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        socket.write("GET /status HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        QByteArray reply;
        while (socket.waitForReadyRead(5000) || socket.bytesAvailable())
            reply += socket.readAll();
        return QJsonDocument::fromJson(reply.mid(reply.indexOf("\r\n\r\n") + 4)).object();
    }

    void stopApp(QProcess *app)
    {
        app->terminate();
        QVERIFY(app->waitForFinished(10000));
        QCOMPARE(app->exitCode(), 0);
        delete app;
    }

private slots:
    void stream_data()
    {
        QTest::addColumn<QString>("formats");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("encoder");
        QTest::newRow("yuyv") << "YUYV" << QStringList() << "YUYV"
                              << "cpu";
        QTest::newRow("mjpeg-passthrough") << "MJPEG" << QStringList() << "MJPEG"
                                           << "passthrough";
        QTest::newRow("mjpeg-reencode") << "MJPEG" << QStringList{"--quality", "50"} << "MJPEG"
                                        << "cpu";
        QTest::newRow("both-cpu") << "YUYV,MJPEG" << QStringList{"--encoder", "cpu"} << "YUYV"
                                  << "cpu";
        QTest::newRow("both-auto") << "YUYV,MJPEG" << QStringList() << "MJPEG"
                                   << "passthrough";
    }

    void stream()
    {
        QFETCH(QString, formats);
        QFETCH(QStringList, extra);
        QFETCH(QString, format);
        QFETCH(QString, encoder);
        quint16 port = 0;
        QProcess *app = startApp(formats, extra, &port);
        QVERIFY(port);
        // The server answers 503 to viewers until there is a first frame.
        QTRY_VERIFY_WITH_TIMEOUT(
            status(port)["output"].toObject()["frames_published"].toDouble() > 0, 20000);
        MjpegViewer viewer(port);
        QTRY_VERIFY_WITH_TIMEOUT(viewer.parts.size() >= 5, 30000);
        for (const QByteArray &part : std::as_const(viewer.parts)) {
            const QImage image = QImage::fromData(part, "JPEG");
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), QSize(640, 480));
        }
        const QJsonObject s = status(port);
        const QJsonObject source = s["source"].toObject();
        QCOMPARE(source["online"].toBool(), true);
        QCOMPARE(source["format"].toString(), format);
        QCOMPARE(source["width"].toInt(), 640);
        QCOMPARE(source["height"].toInt(), 480);
        QCOMPARE(source["fps"].toDouble(), 15.0);
        QCOMPARE(s["output"].toObject()["encoder"].toString(), encoder);
        QCOMPARE(s["output"].toObject()["frames_passed_through"].toDouble() > 0,
                 encoder == QLatin1String("passthrough"));
        stopApp(app);
    }

    void listSources()
    {
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(FAKECAM_LIBRARY));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(KIOSK_APP), {"--list-sources"});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitCode(), 0);
        const QString out = QString::fromUtf8(app.readAllStandardOutput());
        QVERIFY2(out.contains(QLatin1String("/dev/video0")), qPrintable(out));
        const QRegularExpression mjpeg(QStringLiteral("MJPEG .*1280x720@30"));
        const QRegularExpression yuyv(QStringLiteral("YUYV .*640x480@30"));
        QVERIFY2(out.contains(mjpeg), qPrintable(out));
        QVERIFY2(out.contains(yuyv), qPrintable(out));
    }
};

int main(int argc, char **argv)
{
    if (!QFileInfo::exists(QStringLiteral(FAKECAM_LIBRARY))) {
        std::printf("SKIP: %s not built (needs ../shared/tools/fakecam and the bench/ 'fakecam' "
                    "target, or copy it there from 'make -C ../shared/tools/fakecam')\n",
                    FAKECAM_LIBRARY);
        return 77;
    }
    QCoreApplication app(argc, argv);
    TestFakecam test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_fakecam.moc"
