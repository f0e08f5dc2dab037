#pragma once

#include <QQuickImageProvider>

// "image://qrcode/<percent-encoded text>": the text as a QR code (libqrencode), black on white
// with the standard quiet zone, scaled by whole modules so it stays sharp and scannable.
class QrCodeProvider : public QQuickImageProvider
{
public:
    QrCodeProvider();

    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

    // The QR code of `text` with one pixel per module and a 4-module margin; null on failure.
    static QImage render(const QByteArray &text);
};
