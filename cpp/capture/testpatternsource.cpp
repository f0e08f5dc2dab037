#include "testpatternsource.h"

#include <QDateTime>
#include <QPainter>

#include <cstring>

TestPatternSource::TestPatternSource(QSize size, double fps, const QString &label, QObject *parent)
    : FrameSource(
        SourceOptions{label.isEmpty() ? QStringLiteral("test") : QStringLiteral("test:") + label,
                      size, fps},
        Watchdog::Off, parent)
    , m_label(label)
    , m_timer(this) // a child, so it moves to the capture thread with the source
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &TestPatternSource::renderNext);
}

void TestPatternSource::start()
{
    if (m_background.isNull())
        m_background = makeBackground();
    m_timer.start(qMax(1, qRound(1000.0 / options().fps)));
    setInfo({description(), true, options().size, options().fps});
    renderNext();
}

QString TestPatternSource::description() const
{
    return m_label.isEmpty() ? QStringLiteral("Test pattern")
                             : QStringLiteral("Test pattern %1").arg(m_label);
}

void TestPatternSource::stop()
{
    m_timer.stop();
    setInfo({description(), false, options().size, options().fps});
}

QImage TestPatternSource::makeBackground() const
{
    // SMPTE-like bars, drawn once: every frame starts as a copy of these pixels.
    static const QColor bars[] = {{192, 192, 192}, {192, 192, 0}, {0, 192, 192}, {0, 192, 0},
                                  {192, 0, 192},   {192, 0, 0},   {0, 0, 192}};
    QImage image(options().size, QImage::Format_RGB32);
    QPainter p(&image);
    const int n = int(std::size(bars));
    const int barsHeight = options().size.height() * 2 / 3;
    // A label turns the bars round by a step of its own (none without one).
    int first = 0;
    for (const QChar c : m_label)
        first += c.unicode();
    first %= n;
    for (int i = 0; i < n; ++i) {
        const int x0 = options().size.width() * i / n;
        const int x1 = options().size.width() * (i + 1) / n;
        p.fillRect(x0, 0, x1 - x0, barsHeight, bars[(first + i) % n]);
    }
    // A grey ramp below the bars makes JPEG quality differences easy to see.
    QLinearGradient ramp(0, 0, options().size.width(), 0);
    ramp.setColorAt(0, Qt::black);
    ramp.setColorAt(1, Qt::white);
    p.fillRect(0, barsHeight, options().size.width(), options().size.height() - barsHeight, ramp);
    return image;
}

void TestPatternSource::renderNext()
{
    const qint64 captureTime = wallClockUs();
    QImage image = m_pool.acquire(options().size, QImage::Format_RGB32);
    std::memcpy(image.bits(), m_background.constBits(), size_t(m_background.sizeInBytes()));

    const int w = options().size.width();
    const int h = options().size.height();
    const int period = qMax(1, qRound(options().fps * 4)); // one sweep every four seconds
    const int block = qMax(8, h / 6);
    const int x = int((m_frames % period) * (w - block) / period);

    QPainter p(&image);
    p.fillRect(x, h * 2 / 3 - block / 2, block, block, Qt::white);
    p.fillRect(x + block / 4, h * 2 / 3 - block / 4, block / 2, block / 2, Qt::black);

    const QDateTime now = QDateTime::fromMSecsSinceEpoch(captureTime / 1000);
    QFont font = p.font();
    font.setPixelSize(qMax(10, h / 12));
    font.setBold(true);
    font.setStyleHint(QFont::Monospace);
    font.setFamily(QStringLiteral("DejaVu Sans Mono"));
    p.setFont(font);
    const QRect label(0, h / 12, w, h / 3);
    p.fillRect(QRect(w / 8, h / 12, w * 3 / 4, h / 4), QColor(0, 0, 0, 170));
    p.setPen(Qt::white);
    p.drawText(label, Qt::AlignHCenter | Qt::AlignTop,
               now.toString(QStringLiteral("HH:mm:ss.zzz")));
    font.setPixelSize(qMax(8, h / 24));
    p.setFont(font);
    p.drawText(label.adjusted(0, h / 9, 0, 0), Qt::AlignHCenter | Qt::AlignTop,
               QStringLiteral("%5frame %1   %2x%3 @ %4 fps")
                   .arg(m_frames + 1)
                   .arg(w)
                   .arg(h)
                   .arg(options().fps, 0, 'g', 3)
                   .arg(m_label.isEmpty() ? QString() : m_label + QStringLiteral("   ")));
    p.end();

    ++m_frames;
    RawFrame frame;
    frame.captureTimeUs = captureTime;
    frame.image = image;
    frame.width = w;
    frame.height = h;
    emitFrame(std::move(frame));
}
