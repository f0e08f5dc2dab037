#include "zoomwindow.h"

#include <QtGlobal>

#include <cmath>

void ZoomWindow::zoomAt(qreal factor, QPointF anchor)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    qreal zoom = qBound(1.0, this->zoom() * factor, kMaximumZoom);
    // Pinched back to about 1x (products of factors rarely land on it): the whole picture,
    // not a view a hair smaller that still counts as zoomed.
    if (zoom < 1.0 + kWholeTolerance)
        zoom = 1.0;
    const QPointF at(qBound(0.0, anchor.x(), 1.0), qBound(0.0, anchor.y(), 1.0));
    // The picture's point under the anchor, before and after.
    const QPointF fixed(m_viewed.x() + at.x() * m_viewed.width(),
                        m_viewed.y() + at.y() * m_viewed.height());
    const qreal side = 1.0 / zoom;
    m_viewed = QRectF(fixed.x() - at.x() * side, fixed.y() - at.y() * side, side, side);
    clampInside();
}

void ZoomWindow::panBy(QPointF delta)
{
    if (!std::isfinite(delta.x()) || !std::isfinite(delta.y()))
        return;
    // The picture follows the finger: the viewed part moves the other way.
    m_viewed.translate(-delta.x() * m_viewed.width(), -delta.y() * m_viewed.height());
    clampInside();
}

void ZoomWindow::clampInside()
{
    const qreal side = qMin(m_viewed.width(), 1.0);
    m_viewed = QRectF(qBound(0.0, m_viewed.x(), 1.0 - side), qBound(0.0, m_viewed.y(), 1.0 - side),
                      side, side);
    // At 1x there is only one place to be (and no rounding left over from getting there).
    if (side >= 1.0)
        reset();
}

QRect ZoomWindow::cropOf(const QRectF &viewed, const QRect &shown)
{
    if (shown.isEmpty())
        return {};
    const auto along = [](qreal from, qreal length, int size) {
        // Rounded to the nearest pixel, then kept inside: at least 1, at most the picture.
        const int extent = qBound(1, int(std::lround(length * size)), size);
        const int start = qBound(0, int(std::lround(from * size)), size - extent);
        return std::make_pair(start, extent);
    };
    const auto [x, w] = along(viewed.x(), viewed.width(), shown.width());
    const auto [y, h] = along(viewed.y(), viewed.height(), shown.height());
    return QRect(shown.x() + x, shown.y() + y, w, h);
}
