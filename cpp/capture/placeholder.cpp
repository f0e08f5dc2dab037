#include "placeholder.h"

#include <QDateTime>
#include <QPainter>

QImage renderPlaceholder(const QSize &size, const QString &headline, const QString &detail)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(QColor(24, 24, 28));
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPixelSize(qMax(12, size.height() / 10));
    font.setBold(true);
    p.setFont(font);
    p.setPen(QColor(230, 80, 70));
    const QRect top(0, 0, size.width(), size.height() / 2);
    p.drawText(top, Qt::AlignHCenter | Qt::AlignBottom, headline);
    font.setPixelSize(qMax(10, size.height() / 24));
    font.setBold(false);
    p.setFont(font);
    p.setPen(QColor(200, 200, 200));
    const QRect bottom(0, size.height() / 2 + size.height() / 30, size.width(), size.height() / 2);
    const QString when
        = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    p.drawText(bottom, Qt::AlignHCenter | Qt::AlignTop, detail + QLatin1Char('\n') + when);
    return image;
}
