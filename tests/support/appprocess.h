#pragma once

// The real mjpeg-kiosk binary as a child process: started headless on the test pattern with
// --port 0, its port read from its own log. The path comes from the build (KIOSK_APP).

#include "testclient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace TestSupport {

class AppProcess
{
public:
    AppProcess()
    {
        m_process.setProgram(QStringLiteral(KIOSK_APP));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
    }
    ~AppProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(kWaitMs);
        }
    }

    static QStringList defaultArguments()
    {
        return {QStringLiteral("--headless"), QStringLiteral("--source"),
                QStringLiteral("test"),       QStringLiteral("--host"),
                QStringLiteral("127.0.0.1"),  QStringLiteral("--port"),
                QStringLiteral("0"),          QStringLiteral("--resolution"),
                QStringLiteral("320x240")};
    }

    void start(const QStringList &arguments)
    {
        m_process.setArguments(arguments);
        m_process.start();
    }

    // Starts with `arguments` and waits for the "listening on ... port N" line; 0 on failure.
    quint16 startListening(const QStringList &arguments = defaultArguments())
    {
        start(arguments);
        static const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+)"));
        const bool ended = QTest::qWaitFor(
            [&] {
                m_output += m_process.readAll();
                const auto m = listening.match(QString::fromUtf8(m_output));
                if (m.hasMatch())
                    m_port = quint16(m.captured(1).toUInt());
                return m_port != 0 || m_process.state() == QProcess::NotRunning;
            },
            kWaitMs);
        return ended ? m_port : 0;
    }

    // Waits for the process to end; false if it did not within the timeout.
    bool waitForExit(int timeoutMs = kWaitMs)
    {
        const bool finished = QTest::qWaitFor(
            [&] {
                m_output += m_process.readAll();
                return m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        m_output += m_process.readAll();
        return finished;
    }

    QProcess &process() { return m_process; }
    quint16 port() const { return m_port; }
    QString output()
    {
        m_output += m_process.readAll();
        return QString::fromUtf8(m_output);
    }

private:
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};

} // namespace TestSupport
