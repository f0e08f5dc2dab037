#pragma once

#include "rawsocket.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QThread>

#include <csignal>

// The real app, headless, on a free port: started with extra options, its log kept.
class KioskProcess
{
public:
    ~KioskProcess() { stop(); }

    // wrapper: e.g. {"prlimit", "--nofile=64:64"} to run the app under it (it execs).
    bool start(const QStringList &options, const QStringList &wrapper = {},
               const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        QStringList arguments = wrapper;
        arguments << QStringLiteral(KIOSK_APP) << QStringLiteral("--headless")
                  << QStringLiteral("--port") << QStringLiteral("0") << QStringLiteral("--source")
                  << QStringLiteral("test") << QStringLiteral("--resolution")
                  << QStringLiteral("320x240") << options;
        const QString program = arguments.takeFirst();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setProcessEnvironment(environment);
        m_process.start(program, arguments);
        if (!m_process.waitForStarted(5000))
            return false;
        static const QRegularExpression plain(
            QStringLiteral("http info: listening on \\S+ port (\\d+)"));
        static const QRegularExpression tls(
            QStringLiteral("listening for HTTPS on \\S+ port (\\d+)"));
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 10000 && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(100);
            m_log += m_process.readAll();
            const auto match = plain.match(QString::fromUtf8(m_log));
            if (match.hasMatch()) {
                port = quint16(match.captured(1).toUInt());
                if (options.contains(QStringLiteral("--tls-cert"))) {
                    const auto tlsMatch = tls.match(QString::fromUtf8(m_log));
                    if (!tlsMatch.hasMatch())
                        continue;
                    tlsPort = quint16(tlsMatch.captured(1).toUInt());
                }
                return waitForFirstFrame(timer);
            }
        }
        return false;
    }
    qint64 pid() const { return m_process.processId(); }
    QByteArray log()
    {
        m_process.waitForReadyRead(50);
        m_log += m_process.readAll();
        return m_log;
    }
    // Sends the signal and waits; returns the elapsed ms, or -1 when it did not exit in time.
    qint64 terminate(int signo = SIGTERM, int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(m_process.processId()), signo);
        if (!m_process.waitForFinished(timeoutMs))
            return -1;
        log();
        return timer.elapsed();
    }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        terminate(SIGTERM, 5000);
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }

    quint16 port = 0;
    quint16 tlsPort = 0;
    QByteArray probeTarget = "/snapshot"; // add the ?token= when one is required

private:
    // /snapshot answers 503 until the first frame is encoded (any other answer, 401 or 403
    // included, means there is one or that the test will not see frames anyway).
    bool waitForFirstFrame(const QElapsedTimer &timer)
    {
        while (timer.elapsed() < 10000) {
            RawSocket socket;
            if (socket.connectTo(port, nullptr, "127.0.0.1")) {
                socket.send("GET " + probeTarget + " HTTP/1.1\r\nConnection: close\r\n\r\n");
                const QByteArray answer = socket.readAll(2000);
                if (!answer.isEmpty() && !answer.startsWith("HTTP/1.1 503"))
                    return true;
            }
            QThread::msleep(50);
        }
        return false;
    }

    QProcess m_process;
    QByteArray m_log;
};
