#pragma once

#include <QQuickImageProvider>

class Pipeline;

// Serves the newest frame's raw picture to QML ("image://camera/<anything>"): the image the
// encoder already has, so the preview costs no JPEG decode. A placeholder while there is none.
class CameraProvider : public QQuickImageProvider
{
public:
    explicit CameraProvider(const Pipeline *pipeline);

    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

private:
    const Pipeline *m_pipeline;
};
