#include "livepicture.h"

#include <QQuickWindow>
#include <QSGImageNode>

#include <cmath>
#include <utility>

LivePicture::LivePicture(QQuickItem *parent)
    : QQuickItem(parent)
{
    setFlag(ItemHasContents);
}

LivePicture::~LivePicture()
{
    if (m_stage && m_viewId)
        m_stage->removeView(m_viewId);
}

void LivePicture::setStage(PreviewStage *stage)
{
    if (stage == m_stage)
        return;
    if (m_stage) {
        disconnect(m_stage, nullptr, this, nullptr);
        if (m_viewId)
            m_stage->removeView(m_viewId);
    }
    m_stage = stage;
    m_viewId = 0;
    // Another camera: none of the last one's picture or zoom stays on screen.
    if (!std::exchange(m_picture, {}).image.isNull())
        emit pictureSizeChanged();
    setZoom(ZoomWindow());
    if (m_stage) {
        m_viewId = m_stage->addView();
        // Queued: emitted on the preview thread.
        connect(m_stage, &PreviewStage::pictureReady, this, &LivePicture::onPictureReady,
                Qt::QueuedConnection);
        connect(m_stage, &QObject::destroyed, this, [this] { m_viewId = 0; });
    }
    updateView();
    onPictureReady(); // the stage's newest, if it has one, until the next comes
    update();
    emit stageChanged();
}

void LivePicture::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    updateView();
    emit activeChanged();
}

void LivePicture::updateView()
{
    QQuickWindow *w = window();
    const bool windowShown = w && w->isVisible() && w->visibility() != QWindow::Minimized;
    const bool showing
        = m_stage && m_active && isVisible() && windowShown && width() >= 1 && height() >= 1;
    if (m_stage && m_viewId) {
        const qreal ratio = w ? w->effectiveDevicePixelRatio() : 1.0;
        // Zoomed: as much more detail as the zoom shows, in steps of 2 (1x, 2x, 4x, 8x) so that
        // a pinch does not change the picture's size with every move; the stage never makes
        // it larger than the frame.
        const qreal detail = std::exp2(std::ceil(std::log2(m_zoom.zoom() - 1e-6)));
        m_stage->setView(m_viewId, (size() * ratio * qMax(1.0, detail)).toSize(), showing);
    }
    if (showing != m_showing) {
        m_showing = showing;
        emit showingChanged();
    }
}

void LivePicture::onPictureReady()
{
    if (!m_stage || !m_showing)
        return;
    const PreviewPicture picture = m_stage->picture();
    if (picture.image.isNull() || picture.sequence == m_picture.sequence)
        return;
    const QSize oldPictureSize = m_picture.image.size();
    m_picture = picture;
    if (picture.frameSize != m_sourceSize) {
        m_sourceSize = picture.frameSize;
        updatePaintedRect();
        emit sourceSizeChanged();
    }
    if (picture.image.size() != oldPictureSize)
        emit pictureSizeChanged();
    emit frameSequenceChanged();
    update();
}

void LivePicture::updatePaintedRect()
{
    QRectF rect;
    if (!m_sourceSize.isEmpty()) {
        const QSizeF fitted = QSizeF(m_sourceSize).scaled(size(), Qt::KeepAspectRatio);
        rect = QRectF(QPointF((width() - fitted.width()) / 2, (height() - fitted.height()) / 2),
                      fitted);
    }
    if (rect != m_paintedRect) {
        m_paintedRect = rect;
        emit paintedRectChanged();
        update();
    }
}

void LivePicture::setThumbnailRect(const QRectF &rect)
{
    if (rect == m_thumbnailRect)
        return;
    m_thumbnailRect = rect;
    emit thumbnailRectChanged();
    update();
}

void LivePicture::zoomAt(qreal factor, QPointF at)
{
    if (m_paintedRect.isEmpty())
        return;
    ZoomWindow zoom = m_zoom;
    zoom.zoomAt(factor,
                QPointF((at.x() - m_paintedRect.x()) / m_paintedRect.width(),
                        (at.y() - m_paintedRect.y()) / m_paintedRect.height()));
    setZoom(zoom);
}

void LivePicture::panBy(QPointF delta)
{
    if (m_paintedRect.isEmpty())
        return;
    ZoomWindow zoom = m_zoom;
    zoom.panBy(QPointF(delta.x() / m_paintedRect.width(), delta.y() / m_paintedRect.height()));
    setZoom(zoom);
}

void LivePicture::resetZoom()
{
    setZoom(ZoomWindow());
}

void LivePicture::setZoom(const ZoomWindow &zoom)
{
    if (zoom.viewed() == m_zoom.viewed())
        return;
    const qreal before = m_zoom.zoom();
    m_zoom = zoom;
    if (zoom.zoom() != before)
        updateView();
    emit zoomChanged();
    update();
}

QRectF LivePicture::sourceRectOf(const QRectF &normalised) const
{
    const QSizeF picture = m_picture.image.size();
    return QRectF(normalised.x() * picture.width(), normalised.y() * picture.height(),
                  normalised.width() * picture.width(), normalised.height() * picture.height());
}

QSGNode *LivePicture::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    auto *node = static_cast<QSGImageNode *>(oldNode);
    if (m_picture.image.isNull() || m_paintedRect.isEmpty()) {
        delete node;
        return nullptr;
    }
    if (!node) {
        node = window()->createImageNode();
        node->setOwnsTexture(true);
        m_drawnKey = 0;
    }
    // A picture made for this screen size is drawn 1:1; the filter matters only while a
    // resize is under way (or for a view smaller than the stage's largest).
    node->setFiltering(QSGTexture::Linear);
    if (m_picture.image.cacheKey() != m_drawnKey) {
        // The texture owns a copy or an upload of the picture; the picture can go back to the
        // stage's pool. The thumbnail drawn from it moves to the new one before the picture's
        // node deletes the old one.
        QSGTexture *texture
            = window()->createTextureFromImage(m_picture.image, QQuickWindow::TextureIsOpaque);
        if (auto *thumbnail = static_cast<QSGImageNode *>(node->firstChild()))
            thumbnail->setTexture(texture);
        node->setTexture(texture);
        m_drawnKey = m_picture.image.cacheKey();
    }
    if (m_picture.sequence != m_drawnSequence) {
        m_drawnSequence = m_picture.sequence;
        ++m_framesDrawn;
    }
    node->setRect(m_paintedRect);
    node->setSourceRect(sourceRectOf(m_zoom.viewed()));
    updateThumbnail(node);
    return node;
}

void LivePicture::updateThumbnail(QSGImageNode *picture)
{
    auto *thumbnail = static_cast<QSGImageNode *>(picture->firstChild());
    if (m_thumbnailRect.isEmpty()) {
        delete thumbnail; // a node's destructor takes it out of its parent
        return;
    }
    const bool added = !thumbnail;
    if (added) {
        // The picture's own texture, drawn once more, small: no second upload.
        thumbnail = window()->createImageNode();
        thumbnail->setOwnsTexture(false);
        thumbnail->setFiltering(QSGTexture::Linear);
    }
    if (thumbnail->texture() != picture->texture())
        thumbnail->setTexture(picture->texture());
    thumbnail->setRect(m_thumbnailRect);
    thumbnail->setSourceRect(sourceRectOf(QRectF(0, 0, 1, 1)));
    // Only complete: the software renderer reads a node's texture as soon as it is added.
    if (added)
        picture->appendChildNode(thumbnail);
}

void LivePicture::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        updatePaintedRect();
        updateView();
    }
}

void LivePicture::itemChange(ItemChange change, const ItemChangeData &value)
{
    QQuickItem::itemChange(change, value);
    switch (change) {
    case ItemSceneChange:
        watchWindow(value.window);
        updateView();
        break;
    case ItemVisibleHasChanged:
    case ItemDevicePixelRatioHasChanged:
        updateView();
        break;
    default:
        break;
    }
}

void LivePicture::watchWindow(QQuickWindow *window)
{
    disconnect(m_windowConnection);
    if (window)
        m_windowConnection
            = connect(window, &QWindow::visibilityChanged, this, &LivePicture::updateView);
}
