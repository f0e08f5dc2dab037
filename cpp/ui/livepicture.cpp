#include "livepicture.h"

#include <QQuickWindow>
#include <QSGImageNode>

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
    if (m_stage) {
        m_viewId = m_stage->addView();
        // Queued: emitted on the preview thread.
        connect(m_stage, &PreviewStage::pictureReady, this, &LivePicture::onPictureReady,
                Qt::QueuedConnection);
        connect(m_stage, &QObject::destroyed, this, [this] { m_viewId = 0; });
    }
    updateView();
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
        m_stage->setView(m_viewId, (size() * ratio).toSize(), showing);
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
        // stage's pool.
        node->setTexture(
            window()->createTextureFromImage(m_picture.image, QQuickWindow::TextureIsOpaque));
        m_drawnKey = m_picture.image.cacheKey();
    }
    if (m_picture.sequence != m_drawnSequence) {
        m_drawnSequence = m_picture.sequence;
        ++m_framesDrawn;
    }
    node->setRect(m_paintedRect);
    return node;
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
