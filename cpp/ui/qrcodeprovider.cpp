#include "qrcodeprovider.h"

#include <QUrl>

#include <qrencode.h>

#include <memory>

namespace {
constexpr int kQuietZone = 4; // modules of white around the code, as the standard asks
}

QrCodeProvider::QrCodeProvider()
    : QQuickImageProvider(QQuickImageProvider::Image)
{ }

QImage QrCodeProvider::render(const QByteArray &text)
{
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.constData(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code)
        return {};
    const int modules = code->width;
    const int side = modules + 2 * kQuietZone;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < modules; ++y) {
        uchar *line = image.scanLine(y + kQuietZone);
        for (int x = 0; x < modules; ++x) {
            // Bit 0 of each byte: the module is dark.
            if (code->data[y * modules + x] & 1)
                line[x + kQuietZone] = 0;
        }
    }
    return image;
}

QImage QrCodeProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    QImage image = render(QUrl::fromPercentEncoding(id.toUtf8()).toUtf8());
    if (image.isNull())
        return image;
    // Whole pixels per module, as large as the requested size allows.
    const int wanted
        = requestedSize.isValid() ? std::min(requestedSize.width(), requestedSize.height()) : 0;
    const int scale = std::max(1, wanted / image.width());
    if (scale > 1)
        image = image.scaled(image.size() * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    if (size)
        *size = image.size();
    return image;
}
