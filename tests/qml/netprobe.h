#pragma once

#include <QList>
#include <QObject>
#include <QQmlEngine>
#include <QSize>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

// What the QML tests use to look at the server from outside, as a viewer would: plain HTTP on
// real sockets to 127.0.0.1 (QML singleton "Net" in module KioskTest).
class NetProbe : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString tempPath READ tempPath CONSTANT)
    Q_PROPERTY(int connectedViewers READ connectedViewers NOTIFY viewersChanged)

public:
    explicit NetProbe(QObject *parent = nullptr);

    QString tempPath() const { return m_temp.path(); }

    // The status code of GET `path` (0 if there was no answer in time). For /stream only the
    // head is read, then the connection is closed.
    Q_INVOKABLE int status(int port, const QString &path, const QString &auth = {});
    // The body of GET `path` (for /status).
    Q_INVOKABLE QString body(int port, const QString &path, const QString &auth = {});
    // The size of the JPEG that GET `path` answers with, decoded (/snapshot: what viewers get);
    // an invalid size when there is none.
    Q_INVOKABLE QSize jpegSize(int port, const QString &path);
    // Opens `count` viewers of `target` (/stream, or a profile of it) that read (and discard)
    // everything they get.
    Q_INVOKABLE void openViewers(int port, int count,
                                 const QString &target = QStringLiteral("/stream"));
    Q_INVOKABLE void closeViewers();
    // Viewers still connected (the server ends their streams when streaming is switched off).
    int connectedViewers() const;
    // A port something else listens on, to see a port change refused.
    Q_INVOKABLE int busyPort();
    Q_INVOKABLE QByteArray fileHead(const QString &path, int bytes) const;
    // What QSettings holds for `key` (the settings panel persists there).
    Q_INVOKABLE QVariant savedSetting(const QString &key) const;
    // An environment variable (docs/screenshots/take-screenshots.sh names a folder in one).
    Q_INVOKABLE static QString environment(const QString &name)
    {
        return qEnvironmentVariable(qPrintable(name));
    }

signals:
    void viewersChanged();

private:
    QByteArray request(int port, const QString &path, const QString &auth, bool headOnly);

    QTemporaryDir m_temp;
    QList<QTcpSocket *> m_viewers;
    QTcpServer m_busy;
};
