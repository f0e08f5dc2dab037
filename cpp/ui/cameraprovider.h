#pragma once

#include <QQuickImageProvider>

class Pipeline;

// Serves the screen's newest picture to QML ("image://camera/<anything>"): the one the preview
// stage made for the live picture, so a still costs no decode of its own. A placeholder while
// there is none (no live picture has been shown yet).
class CameraProvider : public QQuickImageProvider
{
public:
    explicit CameraProvider(const Pipeline *pipeline);

    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

private:
    const Pipeline *m_pipeline;
};
