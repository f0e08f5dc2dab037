#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QPointer>
#include <QQuickItem>

class BandwidthHistory;

// Draws a BandwidthHistory as a filled curve, newest sample at the right edge, the item's full
// width spanning the history's capacity and its height 0..maximum. It is a scene-graph node
// (triangles with an antialiased edge, or QPainter under the software renderer, which draws no
// custom geometry), rebuilt only when a sample moves a point: a flat idle graph, or one that is
// hidden, asks the window for no frame at all. Samples arrive a few times a second; the curve
// steps by one sample then, with no animation in between, so the window rests between samples.
class RateCurve : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(BandwidthHistory *history READ history WRITE setHistory NOTIFY historyChanged)
    Q_PROPERTY(double maximum READ maximum WRITE setMaximum NOTIFY maximumChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)
    Q_PROPERTY(double lineWidth READ lineWidth WRITE setLineWidth NOTIFY colorChanged)

public:
    explicit RateCurve(QQuickItem *parent = nullptr);

    BandwidthHistory *history() const { return m_history; }
    void setHistory(BandwidthHistory *history);
    double maximum() const { return m_maximum; }
    void setMaximum(double maximum);
    QColor color() const { return m_color; }
    void setColor(const QColor &color);
    double lineWidth() const { return m_lineWidth; }
    void setLineWidth(double width);

signals:
    void historyChanged();
    void maximumChanged();
    void colorChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *old, UpdatePaintNodeData *) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void itemChange(ItemChange change, const ItemChangeData &value) override;

private:
    // Recomputes the points from the history; asks for a frame only if one moved and the
    // curve can be seen. `force`: the look changed (colour, width), points or not.
    void refresh(bool force = false);

    QPointer<BandwidthHistory> m_history;
    QMetaObject::Connection m_connection;
    double m_maximum = 1;
    QColor m_color = QColor(0x4f, 0xc3, 0xf7);
    double m_lineWidth = 2;
    QList<QPointF> m_points; // in item coordinates, oldest first
    bool m_stale = false; // changed while hidden: draw when shown
};
