#include "overlay.h"

#include "capture/rawframe.h"

#include <QPainter>

#include <cstring>
#include <ctime>

void FrameOverlay::setFormat(const QString &format)
{
    m_format = format;
    m_formatLocal = format.toLocal8Bit();
    m_text.clear();
    m_label = QImage();
}

QString FrameOverlay::textAt(qint64 captureTimeUs) const
{
    if (m_format.isEmpty())
        return {};
    const time_t seconds = time_t(captureTimeUs / 1000000);
    tm local{};
    localtime_r(&seconds, &local);
    char buffer[512];
    const size_t n = strftime(buffer, sizeof buffer, m_formatLocal.constData(), &local);
    return n ? QString::fromLocal8Bit(buffer, qsizetype(n)) : m_format;
}

const QImage &FrameOverlay::label(int frameHeight, qint64 captureTimeUs)
{
    const QString text = textAt(captureTimeUs);
    if (text == m_text && frameHeight == m_frameHeight && !m_label.isNull())
        return m_label;
    m_text = text;
    m_frameHeight = frameHeight;
    QFont font(QStringLiteral("DejaVu Sans Mono"));
    font.setStyleHint(QFont::Monospace);
    font.setPixelSize(qMax(10, frameHeight / 24));
    const QFontMetrics metrics(font);
    const int pad = qMax(2, font.pixelSize() / 4);
    QSize size(metrics.horizontalAdvance(text) + 2 * pad, metrics.height() + 2 * pad);
    // Even, so that it covers whole chroma samples in I420.
    size = QSize((size.width() + 1) & ~1, (size.height() + 1) & ~1);
    m_label = QImage(size, QImage::Format_Grayscale8);
    m_label.fill(0);
    QPainter p(&m_label);
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(QRect(pad, pad, size.width() - 2 * pad, size.height() - 2 * pad),
               Qt::AlignLeft | Qt::AlignVCenter, text);
    return m_label;
}

void FrameOverlay::drawOn(QImage &image, qint64 captureTimeUs)
{
    if (m_format.isEmpty() || image.isNull())
        return;
    const QImage &l = label(image.height(), captureTimeUs);
    const int margin = qMax(2, image.height() / 60);
    QPainter p(&image);
    p.drawImage(QPoint(margin, margin), l);
}

void FrameOverlay::drawOnI420(QImage &planes, int width, int height, qint64 captureTimeUs)
{
    if (m_format.isEmpty() || planes.isNull())
        return;
    const QImage &l = label(height, captureTimeUs);
    const int margin = (qMax(2, height / 60) + 1) & ~1;
    const int w = qMin(l.width(), width - margin);
    const int h = qMin(l.height(), height - margin);
    if (w <= 0 || h <= 0)
        return;
    const I420Planes p = i420Planes(planes, width, height);
    for (int y = 0; y < h; ++y)
        std::memcpy(p.plane[0] + qsizetype(margin + y) * p.stride[0] + margin, l.constScanLine(y),
                    size_t(w));
    // Neutral chroma under the label: white text on black whatever the picture's colours.
    for (int c = 1; c < 3; ++c) {
        for (int y = margin / 2; y < (margin + h + 1) / 2; ++y)
            std::memset(p.plane[c] + qsizetype(y) * p.stride[c] + margin / 2, 128,
                        size_t((w + 1) / 2));
    }
}
