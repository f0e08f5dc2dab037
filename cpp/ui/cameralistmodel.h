#pragma once

#include "capture/framesource.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QQmlEngine>

class Camera;
class Pipeline;
class PreviewStage;

// Every camera of the pipeline, in its order, for the screen's grid (Kiosk.cameras): one row
// per camera with its name, source, state and figures, and its PreviewStage for a tile's
// LivePicture. Rows follow Pipeline::camerasChanged (a camera added, removed or renamed while
// the kiosk runs: only the rows concerned change, so the other tiles keep their items) and each
// camera's own signals (source, privacy, its streaming switch), which change a few times a
// minute at most. The server's per-camera figures (viewers, frames/s, four times a second) come
// through setFigures(), which the backend calls with the screen's next picture (FrameGate), so
// they cost the window no frame of their own; a row changes only when its figures do.
class CameraListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The cameras are the pipeline's; use Kiosk.cameras")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        DescriptionRole,
        OnlineRole,
        PrivacyRole,
        StreamingRole,
        ViewersRole,
        FpsRole,
        StateRole,
        PreviewRole,
    };

    // A camera's figures as the server counts them.
    struct Figures
    {
        QString name;
        int viewers = 0;
        double fps = 0; // frames sent per second (0 while its streaming is off)
    };

    explicit CameraListModel(Pipeline *pipeline, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Camera *camera(int row) const;
    int rowOf(const Camera *camera) const;
    // The source as its camera last reported it (FrameSource::Info), for the backend's
    // per-camera properties.
    FrameSource::Info sourceInfo(int row) const;
    QList<PreviewStage *> stages() const;
    // The state a tile shows: "" live, "no signal", "privacy", "off" (streaming off), in that
    // order of precedence (a camera without a picture says so whatever else holds).
    static QString stateOf(bool online, bool privacy, bool streaming);

    void setFigures(const QList<Figures> &figures);

signals:
    void countChanged();
    // Rows were inserted, removed or renamed: the backend's current camera may have moved.
    void camerasChanged();
    // The camera of `row` reported its source (sourceInfo()).
    void sourceChanged(int row);

private:
    struct Row
    {
        QPointer<Camera> camera;
        QString name;
        FrameSource::Info source;
        bool online = false;
        bool privacy = false;
        bool streaming = true;
        int viewers = 0;
        double fps = 0;
    };
    Row rowFor(Camera *camera) const;
    bool streams(Camera *camera) const; // it and the server both
    void follow();
    void watch(Camera *camera);
    // Applies `change` to the row of `camera` (if it still has one) and says which roles moved.
    template<typename Change> void changeRow(const Camera *camera, Change change);

    Pipeline *m_pipeline;
    QList<Row> m_rows;
};
