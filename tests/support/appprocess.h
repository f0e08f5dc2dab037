#pragma once

// The real mjpeg-kiosk binary as a child process: the one way the C++ tests launch the app.
// Started with the arguments a test gives (defaultArguments(): headless, test pattern, port 0 on
// 127.0.0.1), optionally under a wrapper (prlimit) and with extra environment (LD_PRELOAD of the
// fake camera); its ports are read from its own log. The path comes from the build (KIOSK_APP).
// Everything waits by spinning the event loop with generous timeouts, as testclient.h does.

#include "testclient.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

namespace TestSupport {

class AppProcess
{
public:
    AppProcess()
    {
        m_process.setProgram(QStringLiteral(KIOSK_APP));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    }
    ~AppProcess() { stop(); }
    AppProcess(const AppProcess &) = delete;
    AppProcess &operator=(const AppProcess &) = delete;

    static QStringList defaultArguments()
    {
        return {QStringLiteral("--headless"), QStringLiteral("--source"),
                QStringLiteral("test"),       QStringLiteral("--host"),
                QStringLiteral("127.0.0.1"),  QStringLiteral("--port"),
                QStringLiteral("0"),          QStringLiteral("--resolution"),
                QStringLiteral("320x240")};
    }

    // Before start(): a variable for the app's environment (on top of this process's).
    void setEnvironment(const QString &name, const QString &value)
    {
        QProcessEnvironment environment = m_process.processEnvironment();
        environment.insert(name, value);
        m_process.setProcessEnvironment(environment);
    }
    // Before start(): a program that runs the app, e.g. {"prlimit", "--nofile=64:64"}; it must
    // exec the app, so that pid() and the signals reach the app itself.
    void setWrapper(const QStringList &wrapper) { m_wrapper = wrapper; }
    // Before start(): stdout and stderr apart (then output() is stdout only, and
    // process().readAllStandardError() the rest), for tests about which stream says what.
    void setSeparateChannels() { m_process.setProcessChannelMode(QProcess::SeparateChannels); }

    void start(const QStringList &arguments)
    {
        if (m_wrapper.isEmpty()) {
            m_process.setArguments(arguments);
        } else {
            m_process.setProgram(m_wrapper.first());
            m_process.setArguments(m_wrapper.mid(1) + QStringList{QStringLiteral(KIOSK_APP)}
                                   + arguments);
        }
        m_process.start();
    }

    // Starts with `arguments` and waits for the "listening on ... port N" line (and, when
    // --tls-cert is among them, the "listening for HTTPS on ... port N" one); 0 on failure.
    quint16 startListening(const QStringList &arguments = defaultArguments())
    {
        start(arguments);
        static const QRegularExpression plain(QStringLiteral("listening on \\S+ port (\\d+)"));
        static const QRegularExpression tls(
            QStringLiteral("listening for HTTPS on \\S+ port (\\d+)"));
        const bool wantTls = arguments.contains(QStringLiteral("--tls-cert"));
        const bool ended = QTest::qWaitFor(
            [&] {
                const QString log = output();
                m_port = quint16(plain.match(log).captured(1).toUInt());
                m_tlsPort = quint16(tls.match(log).captured(1).toUInt());
                return (m_port != 0 && (!wantTls || m_tlsPort != 0))
                    || m_process.state() == QProcess::NotRunning;
            },
            kWaitMs);
        return ended && (!wantTls || m_tlsPort != 0) ? m_port : 0;
    }

    // Waits until the server has a first frame: `target` (a /snapshot, with ?token= when one
    // is needed) answers anything but 503. False if it does not within the timeout.
    bool waitForFirstFrame(const QByteArray &target = "/snapshot")
    {
        return QTest::qWaitFor(
                   [&] {
                       const int status = get(m_port, target).head.status;
                       return (status != 0 && status != 503)
                           || m_process.state() == QProcess::NotRunning;
                   },
                   kWaitMs)
            && m_process.state() == QProcess::Running;
    }

    // Waits for the process to end; false if it did not within the timeout.
    bool waitForExit(int timeoutMs = kWaitMs)
    {
        const bool finished = QTest::qWaitFor(
            [&] {
                readOutput();
                return m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        readOutput();
        return finished;
    }

    // Sends `signo` and waits; the ms it took to exit, or -1 when it did not within the timeout.
    qint64 terminate(int signo = SIGTERM, int timeoutMs = kWaitMs)
    {
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(m_process.processId()), signo);
        return waitForExit(timeoutMs) ? timer.elapsed() : -1;
    }

    // SIGTERM (a clean exit, its log complete), SIGKILL if that does not end it.
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        if (terminate(SIGTERM, 10000) < 0) {
            m_process.kill();
            m_process.waitForFinished(kWaitMs);
        }
    }

    QProcess &process() { return m_process; }
    qint64 pid() const { return m_process.processId(); }
    quint16 port() const { return m_port; }
    quint16 tlsPort() const { return m_tlsPort; }
    // All the app has written so far (stdout only with setSeparateChannels()).
    QString output()
    {
        readOutput();
        return QString::fromUtf8(m_output);
    }

private:
    // What the app has written so far: what is still in the pipe too, not only what the event
    // loop has read already (a test checks the log right after the app answered).
    void readOutput()
    {
        if (m_process.state() == QProcess::Running)
            m_process.waitForReadyRead(0);
        m_output += m_process.readAllStandardOutput();
    }

    QProcess m_process;
    QStringList m_wrapper;
    QByteArray m_output;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
};

} // namespace TestSupport
