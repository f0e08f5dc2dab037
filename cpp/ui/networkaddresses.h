#pragma once

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QTimer>

// This machine's addresses a viewer could reach, as stream URLs for `port`: one row per usable
// address (up, not loopback, not link-local), IPv4 first. Re-read every few seconds, since
// DHCP or Wi-Fi may change them while the kiosk runs.
class NetworkAddresses : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY portChanged)
    // Whose URLs: "" for the plain routes (/, /stream), "/camera/NAME" for one camera of several
    // (/camera/NAME/, /camera/NAME/stream).
    Q_PROPERTY(QString cameraPath READ cameraPath WRITE setCameraPath NOTIFY portChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    // The viewer page of the first address ("http://192.168.1.20:8080/"), for the QR code;
    // empty when the machine has no usable network address.
    Q_PROPERTY(QString mainUrl READ mainUrl NOTIFY countChanged)

public:
    enum Role { UrlRole = Qt::UserRole + 1, AddressRole, InterfaceRole };

    explicit NetworkAddresses(QObject *parent = nullptr);

    int port() const { return m_port; }
    void setPort(int port);
    QString cameraPath() const { return m_cameraPath; }
    void setCameraPath(const QString &path);
    QString mainUrl() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void refresh();

signals:
    void portChanged();
    void countChanged();

private:
    struct Entry
    {
        QString host; // as it goes in a URL: IPv6 in brackets
        QString interfaceName;
        bool operator==(const Entry &o) const
        {
            return host == o.host && interfaceName == o.interfaceName;
        }
    };
    QString url(const Entry &entry, const QString &path) const;
    void urlsChanged(); // the port or the camera's path

    QList<Entry> m_entries;
    int m_port = 0;
    QString m_cameraPath;
    QTimer m_timer;
};
