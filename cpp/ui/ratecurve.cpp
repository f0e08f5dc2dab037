#include "ratecurve.h"

#include "bandwidthhistory.h"

#include <QPainter>
#include <QPainterPath>
#include <QQuickWindow>
#include <QSGGeometryNode>
#include <QSGRenderNode>
#include <QSGRendererInterface>
#include <QSGVertexColorMaterial>

#include <algorithm>
#include <cmath>

namespace {

// What both kinds of node draw.
struct CurveStyle
{
    QList<QPointF> points;
    QSizeF size;
    QColor color;
    double lineWidth = 2;
};

constexpr double kFillAlpha = 0.25;
// Width of the edge over which the line fades out: what antialiasing would give.
constexpr double kFringe = 1.0;
constexpr double kMiterLimit = 4.0;

QSGGeometry::ColoredPoint2D vertex(QPointF p, const QColor &color, double alpha)
{
    // QSGVertexColorMaterial takes premultiplied colours.
    const double a = color.alphaF() * alpha;
    QSGGeometry::ColoredPoint2D v;
    v.set(float(p.x()), float(p.y()), uchar(std::lround(color.red() * a)),
          uchar(std::lround(color.green() * a)), uchar(std::lround(color.blue() * a)),
          uchar(std::lround(255 * a)));
    return v;
}

QPointF unitNormal(QPointF from, QPointF to)
{
    const QPointF d = to - from;
    const double length = std::hypot(d.x(), d.y());
    return length > 0 ? QPointF(-d.y() / length, d.x() / length) : QPointF(0, -1);
}

// The offset at point i that keeps the line's width constant across a join (a mitre, limited).
QPointF joinNormal(const QList<QPointF> &points, qsizetype i)
{
    const qsizetype last = points.size() - 1;
    if (i == 0)
        return unitNormal(points[0], points[1]);
    const QPointF before = unitNormal(points[i - 1], points[i]);
    if (i == last)
        return before;
    const QPointF after = unitNormal(points[i], points[i + 1]);
    QPointF sum = before + after;
    const double length = std::hypot(sum.x(), sum.y());
    if (length < 1e-6)
        return before;
    sum /= length;
    const double cosHalf = sum.x() * before.x() + sum.y() * before.y();
    return sum / std::max(cosHalf, 1 / kMiterLimit);
}

// Six vertices per point: the fill's bottom and top, then across the line its transparent
// edge, its two solid sides and the other transparent edge. Per segment, the fill's quad first
// and the line's three bands over it.
void fillGeometry(QSGGeometry *geometry, const CurveStyle &style)
{
    const QList<QPointF> &points = style.points;
    const qsizetype n = points.size();
    constexpr int perPoint = 6;
    geometry->allocate(int(n * perPoint), int((n - 1) * 4 * 6));
    QSGGeometry::ColoredPoint2D *v = geometry->vertexDataAsColoredPoint2D();
    const double solid = std::max(0.0, style.lineWidth / 2 - kFringe / 2);
    const double outer = style.lineWidth / 2 + kFringe / 2;
    for (qsizetype i = 0; i < n; ++i) {
        const QPointF p = points[i];
        const QPointF normal = joinNormal(points, i);
        QSGGeometry::ColoredPoint2D *pv = v + i * perPoint;
        pv[0] = vertex(QPointF(p.x(), style.size.height()), style.color, kFillAlpha);
        pv[1] = vertex(p, style.color, kFillAlpha);
        pv[2] = vertex(p - normal * outer, style.color, 0);
        pv[3] = vertex(p - normal * solid, style.color, 1);
        pv[4] = vertex(p + normal * solid, style.color, 1);
        pv[5] = vertex(p + normal * outer, style.color, 0);
    }
    // 32-bit indices: a long history (capacity is QML's to set) may pass 65535 vertices.
    quint32 *index = geometry->indexDataAsUInt();
    for (qsizetype i = 0; i + 1 < n; ++i) {
        const auto a = quint32(i * perPoint);
        const auto b = quint32((i + 1) * perPoint);
        for (const quint32 band : {0, 2, 3, 4}) {
            const quint32 quad[6]
                = {a + band, a + band + 1, b + band, b + band, a + band + 1, b + band + 1};
            index = std::copy(std::begin(quad), std::end(quad), index);
        }
    }
    geometry->markIndexDataDirty();
    geometry->markVertexDataDirty();
}

// The hardware-accelerated renderers: one node, one draw call, vertex colours.
class CurveGeometryNode : public QSGGeometryNode
{
public:
    CurveGeometryNode()
        : m_geometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), 0, 0,
                     QSGGeometry::UnsignedIntType)
    {
        m_geometry.setDrawingMode(QSGGeometry::DrawTriangles);
        setGeometry(&m_geometry);
        setMaterial(&m_material);
    }

    void update(const CurveStyle &style)
    {
        fillGeometry(&m_geometry, style);
        markDirty(QSGNode::DirtyGeometry);
    }

private:
    QSGGeometry m_geometry;
    QSGVertexColorMaterial m_material;
};

// The software renderer draws only the node types it knows (rectangles, images, text) and
// skips custom geometry: there the curve is painted with QPainter, as before, but only when it
// changed.
class CurvePainterNode : public QSGRenderNode
{
public:
    explicit CurvePainterNode(QQuickWindow *window)
        : m_window(window)
    { }

    void update(const CurveStyle &style)
    {
        m_style = style;
        markDirty(QSGNode::DirtyMaterial);
    }

    void render(const RenderState *state) override
    {
        auto *painter = static_cast<QPainter *>(m_window->rendererInterface()->getResource(
            m_window, QSGRendererInterface::PainterResource));
        if (!painter || m_style.points.size() < 2)
            return;
        if (const QRegion *clip = state->clipRegion(); clip && !clip->isEmpty())
            painter->setClipRegion(*clip, Qt::ReplaceClip); // before the transform
        painter->setTransform(matrix()->toTransform());
        painter->setOpacity(inheritedOpacity());
        paint(painter);
    }

    StateFlags changedStates() const override { return {}; }
    RenderingFlags flags() const override { return BoundedRectRendering; }
    QRectF rect() const override { return QRectF(QPointF(), m_style.size); }

private:
    void paint(QPainter *painter) const
    {
        const QList<QPointF> &points = m_style.points;
        QPainterPath line;
        line.addPolygon(QPolygonF(points));
        QPainterPath area = line;
        area.lineTo(points.last().x(), m_style.size.height());
        area.lineTo(points.first().x(), m_style.size.height());
        area.closeSubpath();
        painter->setRenderHint(QPainter::Antialiasing);
        QColor fill = m_style.color;
        fill.setAlphaF(fill.alphaF() * kFillAlpha);
        painter->fillPath(area, fill);
        painter->strokePath(
            line,
            QPen(m_style.color, m_style.lineWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    }

    QQuickWindow *m_window;
    CurveStyle m_style;
};

bool samePoints(const QList<QPointF> &a, const QList<QPointF> &b)
{
    // A hundredth of a pixel moves nothing on screen.
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(), [](QPointF p, QPointF q) {
        return std::abs(p.x() - q.x()) < 0.01 && std::abs(p.y() - q.y()) < 0.01;
    });
}

} // namespace

RateCurve::RateCurve(QQuickItem *parent)
    : QQuickItem(parent)
{
    setFlag(ItemHasContents);
}

void RateCurve::setHistory(BandwidthHistory *history)
{
    if (history == m_history)
        return;
    disconnect(m_connection);
    m_history = history;
    if (history)
        m_connection = connect(history, &BandwidthHistory::changed, this, [this] { refresh(); });
    emit historyChanged();
    refresh();
}

void RateCurve::setMaximum(double maximum)
{
    if (maximum == m_maximum || !(maximum > 0))
        return;
    m_maximum = maximum;
    emit maximumChanged();
    refresh();
}

void RateCurve::setColor(const QColor &color)
{
    if (color == m_color)
        return;
    m_color = color;
    emit colorChanged();
    refresh(true);
}

void RateCurve::setLineWidth(double width)
{
    if (width == m_lineWidth)
        return;
    m_lineWidth = width;
    emit colorChanged();
    refresh(true);
}

void RateCurve::refresh(bool force)
{
    QList<QPointF> points;
    const int count = m_history ? m_history->count() : 0;
    if (count >= 2) {
        const double w = width();
        const double h = height();
        const double step = w / (m_history->capacity() - 1);
        const double top = m_lineWidth / 2;
        points.reserve(count);
        for (int i = 0; i < count; ++i) {
            const double value = std::clamp(m_history->at(i) / m_maximum, 0.0, 1.0);
            points.append(QPointF(w - (count - 1 - i) * step, top + (h - top) * (1 - value)));
        }
    }
    if (!force && samePoints(points, m_points))
        return;
    m_points = points;
    // A hidden item's update() would still cost the window a frame.
    if (isVisible())
        update();
    else
        m_stale = true;
}

void RateCurve::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size())
        refresh(true);
}

void RateCurve::itemChange(ItemChange change, const ItemChangeData &value)
{
    QQuickItem::itemChange(change, value);
    if (change == ItemVisibleHasChanged && value.boolValue && m_stale) {
        m_stale = false;
        update();
    }
}

QSGNode *RateCurve::updatePaintNode(QSGNode *old, UpdatePaintNodeData *)
{
    if (m_points.size() < 2) {
        delete old;
        return nullptr;
    }
    const CurveStyle style{m_points, size(), m_color, m_lineWidth};
    if (window()->rendererInterface()->graphicsApi() == QSGRendererInterface::Software) {
        auto *node = old ? static_cast<CurvePainterNode *>(old) : new CurvePainterNode(window());
        node->update(style);
        return node;
    }
    auto *node = old ? static_cast<CurveGeometryNode *>(old) : new CurveGeometryNode;
    node->update(style);
    return node;
}
