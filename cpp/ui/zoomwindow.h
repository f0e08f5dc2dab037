#pragma once

#include <QPointF>
#include <QRect>
#include <QRectF>

// The part of a picture a zoomed view shows, as a rectangle in the picture's own normalised
// coordinates (0..1 both ways, so it does not change when the picture is made at another
// size). Zooming keeps the aspect ratio (one factor for both axes) and the rectangle always
// lies inside the picture: pinching out past 1x or panning past an edge stops there.
class ZoomWindow
{
public:
    static constexpr qreal kMaximumZoom = 8.0;
    // A zoom closer to 1 than this is 1.
    static constexpr qreal kWholeTolerance = 1e-3;

    QRectF viewed() const { return m_viewed; }
    qreal zoom() const { return 1.0 / m_viewed.width(); }
    bool isZoomed() const { return m_viewed.width() < 1.0; }

    // Multiplies the zoom by `factor` (clamped to 1..kMaximumZoom) around `anchor`, a point of
    // the view in its normalised coordinates (0..1; clamped): the part of the picture under it
    // stays under it, unless an edge of the picture stops it.
    void zoomAt(qreal factor, QPointF anchor);
    // Moves the picture by `delta`, a fraction of the view (dragging right by half the view's
    // width: 0.5, 0), as far as the picture's edges allow.
    void panBy(QPointF delta);
    void reset() { m_viewed = QRectF(0, 0, 1, 1); }

    // The crop, in the coordinates the pipeline's crop uses, that shows what `viewed` (a
    // normalised rectangle) shows of a picture that is `shown` (the part of the rotated frame
    // the picture is now: the crop already applied, or the whole of it). Whole pixels, at
    // least one, inside `shown`.
    static QRect cropOf(const QRectF &viewed, const QRect &shown);

private:
    void clampInside();

    QRectF m_viewed{0, 0, 1, 1};
};
