#include "ratecurve.h"

#include "bandwidthhistory.h"

#include <QPainter>
#include <QPainterPath>

RateCurve::RateCurve(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
}

void RateCurve::setHistory(BandwidthHistory *history)
{
    if (history == m_history)
        return;
    disconnect(m_connection);
    m_history = history;
    if (history) {
        m_connection = connect(history, &BandwidthHistory::changed, this, [this] { update(); });
    }
    emit historyChanged();
    update();
}

void RateCurve::setMaximum(double maximum)
{
    if (maximum == m_maximum || !(maximum > 0))
        return;
    m_maximum = maximum;
    emit maximumChanged();
    update();
}

void RateCurve::setColor(const QColor &color)
{
    if (color == m_color)
        return;
    m_color = color;
    emit colorChanged();
    update();
}

void RateCurve::setLineWidth(double width)
{
    if (width == m_lineWidth)
        return;
    m_lineWidth = width;
    emit colorChanged();
    update();
}

void RateCurve::paint(QPainter *painter)
{
    if (!m_history || m_history->count() < 2)
        return;
    const int capacity = m_history->capacity();
    const int count = m_history->count();
    const double w = width();
    const double h = height();
    const double step = w / (capacity - 1);
    const double top = m_lineWidth / 2;
    auto point = [&](int i) {
        const double value = std::clamp(m_history->at(i) / m_maximum, 0.0, 1.0);
        return QPointF(w - (count - 1 - i) * step, top + (h - top) * (1 - value));
    };

    QPainterPath line;
    line.moveTo(point(0));
    for (int i = 1; i < count; ++i)
        line.lineTo(point(i));
    QPainterPath area = line;
    area.lineTo(w, h);
    area.lineTo(point(0).x(), h);
    area.closeSubpath();

    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = m_color;
    fill.setAlphaF(0.25);
    painter->fillPath(area, fill);
    painter->setPen(QPen(m_color, m_lineWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawPath(line);
}
