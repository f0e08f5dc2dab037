#pragma once

#include <QImage>
#include <QString>

// Text burned into streamed frames (--overlay), with strftime fields (%Y-%m-%d %H:%M:%S...)
// filled in from each frame's capture time. The text is rendered once per distinct string
// (so once a second with a clock) into a small grey-level label that is then copied into the
// frame: for I420 frames straight into the luma plane with neutral chroma, no RGB anywhere.
class FrameOverlay
{
public:
    void setFormat(const QString &format);
    bool isEmpty() const { return m_format.isEmpty(); }

    // Both draw in place; the caller owns the pixels (the image is not shared).
    void drawOn(QImage &image, qint64 captureTimeUs);
    void drawOnI420(QImage &planes, int width, int height, qint64 captureTimeUs);

    // The text for a capture time (exposed for tests).
    QString textAt(qint64 captureTimeUs) const;

private:
    const QImage &label(int frameHeight, qint64 captureTimeUs);

    QString m_format;
    QByteArray m_formatLocal;
    QString m_text;
    int m_frameHeight = 0;
    QImage m_label; // Format_Grayscale8: white text on black
};
