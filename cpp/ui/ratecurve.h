#pragma once

#include <QColor>
#include <QPointer>
#include <QQuickPaintedItem>

class BandwidthHistory;

// Draws a BandwidthHistory as a filled curve, newest sample at the right edge, the item's full
// width spanning the history's capacity and its height 0..maximum. Repainted only when a sample
// arrives (a few times a second); the graph scrolls smoothly between samples by moving the item,
// which costs the scene graph a transform, not a repaint.
class RateCurve : public QQuickPaintedItem
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

    void paint(QPainter *painter) override;

signals:
    void historyChanged();
    void maximumChanged();
    void colorChanged();

private:
    QPointer<BandwidthHistory> m_history;
    QMetaObject::Connection m_connection;
    double m_maximum = 1;
    QColor m_color = QColor(0x4f, 0xc3, 0xf7);
    double m_lineWidth = 2;
};
