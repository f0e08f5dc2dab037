#pragma once

#include "preview/previewstage.h"
#include "zoomwindow.h"

#include <QPointer>
#include <QQuickItem>

class QSGImageNode;

#include <atomic>

// The live camera picture on the kiosk's screen, fitted with its aspect ratio (like an Image
// with PreserveAspectFit). It shows the newest picture of a PreviewStage as a texture: the
// stage has already converted and scaled it on its own thread to the size shown here, so the
// GUI thread only swaps one picture for the next. One item per camera (a grid shows several).
// While the item shows nothing (invisible, zero-sized, window hidden or minimised, `active`
// false) the stage is told so and does no work for it.
// Zoom (pinch, drag, double-tap: the gestures are Preview.qml's) shows a part of the picture in
// the same painted rectangle, as the texture's source rectangle: nothing but this item is drawn
// again, and nothing outside its painted rectangle moves. While zoomed the stage is asked for a
// picture as much larger as the zoom (never larger than the frame), so that the part shown
// keeps the detail the camera has. A thumbnail of the whole picture can be drawn from the same
// texture (thumbnailRect), for an inset that shows where the view is.
class LivePicture : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    // Whose pictures: another stage (the screen switched to another camera) starts unzoomed,
    // with that stage's newest picture.
    Q_PROPERTY(PreviewStage *stage READ stage WRITE setStage NOTIFY stageChanged)
    // Off: the picture is not wanted even though the item may be visible (a screen switched
    // off). On by default.
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    // Whether the stage is working for this item now.
    Q_PROPERTY(bool showing READ isShowing NOTIFY showingChanged)
    // The captured frame's size, and the size of the picture made from it for this screen
    // (never larger than the frame, nor than what the item shows in device pixels, unless
    // zoomed: then up to 2, 4 or 8 times that).
    Q_PROPERTY(QSize sourceSize READ sourceSize NOTIFY sourceSizeChanged)
    Q_PROPERTY(QSize pictureSize READ pictureSize NOTIFY pictureSizeChanged)
    // The rectangle (item coordinates) the picture covers.
    Q_PROPERTY(QRectF paintedRect READ paintedRect NOTIFY paintedRectChanged)
    // The newest frame handed to the item (a double for QML, exact up to 2^53).
    Q_PROPERTY(double frameSequence READ frameSequence NOTIFY frameSequenceChanged)
    // 1 (the whole picture) to maximumZoom, and the part of the picture shown (normalised:
    // 0..1 both ways, (0, 0, 1, 1) unzoomed).
    Q_PROPERTY(qreal zoom READ zoom NOTIFY zoomChanged)
    Q_PROPERTY(QRectF viewedRect READ viewedRect NOTIFY zoomChanged)
    Q_PROPERTY(qreal maximumZoom READ maximumZoom CONSTANT)
    // Where (item coordinates) to draw the whole picture small as well; empty: nowhere.
    Q_PROPERTY(
        QRectF thumbnailRect READ thumbnailRect WRITE setThumbnailRect NOTIFY thumbnailRectChanged)

public:
    explicit LivePicture(QQuickItem *parent = nullptr);
    ~LivePicture() override;

    PreviewStage *stage() const { return m_stage; }
    void setStage(PreviewStage *stage);
    bool isActive() const { return m_active; }
    void setActive(bool active);
    bool isShowing() const { return m_showing; }
    QSize sourceSize() const { return m_sourceSize; }
    QSize pictureSize() const { return m_picture.image.size(); }
    QRectF paintedRect() const { return m_paintedRect; }
    double frameSequence() const { return double(m_picture.sequence); }
    qreal zoom() const { return m_zoom.zoom(); }
    QRectF viewedRect() const { return m_zoom.viewed(); }
    static qreal maximumZoom() { return ZoomWindow::kMaximumZoom; }
    QRectF thumbnailRect() const { return m_thumbnailRect; }
    void setThumbnailRect(const QRectF &rect);

    // Zooms by `factor` around `at` (item coordinates: a point outside the picture counts as
    // its nearest edge); the zoom stays within 1..maximumZoom.
    Q_INVOKABLE void zoomAt(qreal factor, QPointF at);
    // Moves the zoomed picture by `delta` (item pixels), as far as its edges allow.
    Q_INVOKABLE void panBy(QPointF delta);
    Q_INVOKABLE void resetZoom();

    // Distinct frames actually put on screen (counted where the picture is drawn), for tests
    // and the benchmark; read from any thread.
    Q_INVOKABLE double framesDrawn() const { return double(m_framesDrawn.load()); }

signals:
    void stageChanged();
    void activeChanged();
    void showingChanged();
    void sourceSizeChanged();
    void pictureSizeChanged();
    void paintedRectChanged();
    void frameSequenceChanged();
    void zoomChanged();
    void thumbnailRectChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *node, UpdatePaintNodeData *) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void itemChange(ItemChange change, const ItemChangeData &value) override;

private:
    void onPictureReady();
    void updateView(); // tells the stage what this item shows, or that it shows nothing
    void updatePaintedRect();
    void watchWindow(QQuickWindow *window);
    void setZoom(const ZoomWindow &zoom);
    QRectF sourceRectOf(const QRectF &normalised) const; // in the picture's pixels
    void updateThumbnail(QSGImageNode *picture); // a child node of the picture's

    QPointer<PreviewStage> m_stage;
    int m_viewId = 0;
    bool m_active = true;
    bool m_showing = false;
    QMetaObject::Connection m_windowConnection;
    PreviewPicture m_picture; // the newest, waiting to be drawn or drawn
    QSize m_sourceSize;
    QRectF m_paintedRect;
    ZoomWindow m_zoom;
    QRectF m_thumbnailRect;
    // Render thread (or GUI thread while it is blocked for the sync).
    quint64 m_drawnSequence = 0;
    qint64 m_drawnKey = 0;
    std::atomic<quint64> m_framesDrawn{0};
};
