#pragma once

#include "http/serverstatus.h"

#include <QAbstractListModel>
#include <QQmlEngine>

// The viewers of /stream, one row each, updated in place from the server's figures (a few
// times a second, handed over by KioskBackend with the screen's next picture): rows are matched
// by the viewer's address and port, so a list keeps its delegates and scroll position while the
// numbers change.
class ViewerModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use Kiosk.viewers")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        AddressRole = Qt::UserRole + 1,
        FpsRole,
        BytesSentRole,
        FramesDroppedRole,
        ConnectedSecondsRole,
        ProfileRole, // the size it gets, "640x360" (issue 18)
    };

    explicit ViewerModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Brings the rows in line with `clients` (the server's latest list).
    void update(const QList<ClientStats> &clients);

signals:
    void countChanged();

private:
    QList<ClientStats> m_rows;
};
