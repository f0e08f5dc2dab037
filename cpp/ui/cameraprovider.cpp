#include "cameraprovider.h"

#include "capture/placeholder.h"
#include "pipeline/pipeline.h"

CameraProvider::CameraProvider(const Pipeline *pipeline)
    : QQuickImageProvider(QQuickImageProvider::Image)
    , m_pipeline(pipeline)
{ }

QImage CameraProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    // "NAME/..." (or "NAME") is that camera's picture; anything else the first camera's.
    const Camera *named = m_pipeline->camera(id.section(u'/', 0, 0));
    const Camera *camera = named ? named : m_pipeline->camera();
    QImage image = camera ? camera->preview()->picture().image : QImage();
    if (image.isNull())
        image = renderPlaceholder(QSize(640, 360), QStringLiteral("NO SIGNAL"),
                                  QStringLiteral("waiting for the first frame"));
    if (size)
        *size = image.size();
    if (requestedSize.isValid() && requestedSize != image.size())
        return image.scaled(requestedSize, Qt::KeepAspectRatio, Qt::FastTransformation);
    return image;
}
