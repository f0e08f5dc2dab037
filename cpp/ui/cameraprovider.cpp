#include "cameraprovider.h"

#include "capture/placeholder.h"
#include "pipeline/pipeline.h"

CameraProvider::CameraProvider(const Pipeline *pipeline)
    : QQuickImageProvider(QQuickImageProvider::Image)
    , m_pipeline(pipeline)
{ }

QImage CameraProvider::requestImage(const QString &, QSize *size, const QSize &requestedSize)
{
    QImage image = m_pipeline->camera()->preview()->picture().image;
    if (image.isNull())
        image = renderPlaceholder(QSize(640, 360), QStringLiteral("NO SIGNAL"),
                                  QStringLiteral("waiting for the first frame"));
    if (size)
        *size = image.size();
    if (requestedSize.isValid() && requestedSize != image.size())
        return image.scaled(requestedSize, Qt::KeepAspectRatio, Qt::FastTransformation);
    return image;
}
