#pragma once

#include <QQuickImageProvider>

class Pipeline;

// Serves the screen's newest picture to QML ("image://camera/<anything>", or
// "image://camera/NAME/<anything>" for the camera named NAME; the first camera's otherwise): the
// one the camera's preview stage made for its live picture, so a still costs no decode of its
// own. A placeholder while there is none (no live picture has been shown yet).
class CameraProvider : public QQuickImageProvider
{
public:
    explicit CameraProvider(const Pipeline *pipeline);

    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

private:
    const Pipeline *m_pipeline;
};
