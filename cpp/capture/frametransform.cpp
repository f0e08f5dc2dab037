#include "frametransform.h"

#include "planetransform.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTransform>

#include <turbojpeg.h>

Q_LOGGING_CATEGORY(lcTransform, "kiosk.transform")

FrameTransform::Op FrameTransform::op() const
{
    switch (flip) {
    case Flip::None:
        return {false, rotate};
    case Flip::Horizontal:
        return {true, rotate};
    case Flip::Vertical: // upside down and mirrored: a mirror turned half way
        return {true, (rotate + 180) % 360};
    }
    return {};
}

QString FrameTransform::flipName(Flip flip)
{
    switch (flip) {
    case Flip::None:
        return QStringLiteral("none");
    case Flip::Horizontal:
        return QStringLiteral("horizontal");
    case Flip::Vertical:
        return QStringLiteral("vertical");
    }
    return {};
}

QString FrameTransform::cropText(const QRect &crop)
{
    if (crop.isNull())
        return {};
    return QStringLiteral("%1x%2+%3+%4")
        .arg(crop.width())
        .arg(crop.height())
        .arg(crop.x())
        .arg(crop.y());
}

QString FrameTransform::parseRotate(const QString &text, int *out, const QString &option)
{
    const QString t = text.trimmed();
    for (int degrees : {0, 90, 180, 270}) {
        if (t == QString::number(degrees)) {
            if (out)
                *out = degrees;
            return {};
        }
    }
    return QStringLiteral("%1 must be 0, 90, 180 or 270 (degrees clockwise), not '%2'")
        .arg(option, text);
}

QString FrameTransform::parseFlip(const QString &text, Flip *out)
{
    const QString t = text.trimmed().toLower();
    for (Flip flip : {Flip::None, Flip::Horizontal, Flip::Vertical}) {
        if (t == flipName(flip)) {
            if (out)
                *out = flip;
            return {};
        }
    }
    return QStringLiteral("flip must be none, horizontal or vertical, not '%1'").arg(text);
}

QString FrameTransform::parseCrop(const QString &text, QRect *out)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("none")) {
        if (out)
            *out = QRect();
        return {};
    }
    static const QRegularExpression pattern(
        QStringLiteral("^(\\d{1,5})[xX](\\d{1,5})\\+(\\d{1,5})\\+(\\d{1,5})$"));
    const auto match = pattern.match(t);
    if (!match.hasMatch())
        return QStringLiteral("crop must look like WxH+X+Y (e.g. 640x360+320+180) or none, "
                              "not '%1'")
            .arg(text);
    const QRect crop(match.captured(3).toInt(), match.captured(4).toInt(),
                     match.captured(1).toInt(), match.captured(2).toInt());
    if (crop.width() < 16 || crop.height() < 16)
        return QStringLiteral("crop %1 is too small: at least 16x16").arg(text);
    if (out)
        *out = crop;
    return {};
}

QString FrameTransform::checkFits(QSize captured) const
{
    const QSize rotated = rotatedSize(captured);
    if (crop.isNull() || QRect(QPoint(), rotated).contains(crop))
        return {};
    return QStringLiteral("crop %1 is outside the %2x%3 picture (the %4x%5 capture rotated by "
                          "%6°): it must lie within it")
        .arg(cropText(crop))
        .arg(rotated.width())
        .arg(rotated.height())
        .arg(captured.width())
        .arg(captured.height())
        .arg(rotate);
}

FrameTransformer::FrameTransformer() = default;

FrameTransformer::~FrameTransformer()
{
    if (m_tj)
        tjDestroy(m_tj);
}

QRect FrameTransformer::fitCrop(const QRect &crop, QSize rotated, int gridW, int gridH)
{
    if (crop.isNull() || rotated.isEmpty())
        return {};
    // Clamped: a camera that came back at another size keeps as much of the crop as fits.
    const int w = qMin(crop.width(), rotated.width());
    const int h = qMin(crop.height(), rotated.height());
    const int x = qBound(0, crop.x(), rotated.width() - w);
    const int y = qBound(0, crop.y(), rotated.height() - h);
    // Snapped: the corner down onto the grid, the far edges where they were (on the grid too
    // unless they are the picture's edge).
    const int x0 = x - x % gridW;
    const int y0 = y - y % gridH;
    int x1 = x + w;
    int y1 = y + h;
    if (x1 != rotated.width())
        x1 = qMax(x0 + gridW, x1 - x1 % gridW);
    if (y1 != rotated.height())
        y1 = qMax(y0 + gridH, y1 - y1 % gridH);
    const QRect fitted(x0, y0, qMin(x1, rotated.width()) - x0, qMin(y1, rotated.height()) - y0);
    return fitted == QRect(QPoint(), rotated) ? QRect() : fitted;
}

RawFrame FrameTransformer::apply(const RawFrame &frame, const FrameTransform &transform)
{
    if (transform.isIdentity() || !frame.isValid()) {
        m_applied = {QSize(frame.width, frame.height), QSize(frame.width, frame.height), {}};
        return frame;
    }
    const Applied before = m_applied;
    RawFrame out;
    switch (frame.kind) {
    case RawFrame::Kind::Jpeg:
        out = applyJpeg(frame, transform);
        break;
    case RawFrame::Kind::I420:
        out = applyI420(frame, transform);
        break;
    case RawFrame::Kind::Image:
        out = applyImage(frame, transform);
        break;
    }
    // Said once per change, not per frame: a crop the camera's size made us change.
    if (!transform.crop.isNull() && m_applied.crop != transform.crop && !(m_applied == before))
        qCInfo(lcTransform).noquote()
            << "crop" << FrameTransform::cropText(transform.crop) << "applied as"
            << (m_applied.crop.isNull() ? QStringLiteral("the whole picture")
                                        : FrameTransform::cropText(m_applied.crop))
            << QStringLiteral("on the %1x%2 frame")
                   .arg(m_applied.captured.width())
                   .arg(m_applied.captured.height());
    return out;
}

namespace {
// The one TurboJPEG operation for a mirror (first) and a clockwise rotation.
TJXOP turboOp(FrameTransform::Op op)
{
    if (!op.mirror)
        return op.rotate == 90 ? TJXOP_ROT90
            : op.rotate == 180 ? TJXOP_ROT180
            : op.rotate == 270 ? TJXOP_ROT270
                               : TJXOP_NONE;
    return op.rotate == 90 ? TJXOP_TRANSVERSE
        : op.rotate == 180 ? TJXOP_VFLIP
        : op.rotate == 270 ? TJXOP_TRANSPOSE
                           : TJXOP_HFLIP;
}
} // namespace

RawFrame FrameTransformer::applyJpeg(const RawFrame &frame, const FrameTransform &transform)
{
    RawFrame out = frame;
    out.jpeg = QByteArray(); // unless it works: counted as corrupt, never sent at a wrong size
    if (!m_tj && !(m_tj = tjInitTransform()))
        return out;
    const auto *data = reinterpret_cast<const unsigned char *>(frame.jpeg.constData());
    const auto size = static_cast<unsigned long>(frame.jpeg.size());
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(m_tj, data, size, &width, &height, &subsampling, &colorspace) != 0
        || subsampling < 0 || subsampling >= TJ_NUMSAMP)
        return out;
    // DCT blocks can only be moved whole: a crop's corner lies on the MCU grid of the turned
    // picture (whose MCU is the camera's, transposed by a quarter turn).
    int mcuW = tjMCUWidth[subsampling];
    int mcuH = tjMCUHeight[subsampling];
    if (transform.transposes())
        std::swap(mcuW, mcuH);
    const QRect crop
        = fitCrop(transform.crop, transform.rotatedSize(QSize(width, height)), mcuW, mcuH);
    tjtransform xform{};
    xform.op = turboOp(transform.op());
    // TRIM: a partial MCU at an edge the turn moves to the left or top would be garbage.
    xform.options = TJXOPT_TRIM | TJXOPT_COPYNONE;
    if (!crop.isNull()) {
        xform.options |= TJXOPT_CROP;
        xform.r = {crop.x(), crop.y(), crop.width(), crop.height()};
    }
    unsigned char *turned = nullptr;
    unsigned long turnedSize = 0;
    const bool failed = tjTransform(m_tj, data, size, 1, &turned, &turnedSize, &xform, 0) != 0
        && tjGetErrorCode(m_tj) != TJERR_WARNING; // a warning still leaves a picture
    int outW = 0, outH = 0;
    if (!failed && turned
        && tjDecompressHeader3(m_tj, turned, turnedSize, &outW, &outH, &subsampling, &colorspace)
            == 0) {
        out.jpeg = QByteArray(reinterpret_cast<const char *>(turned), qsizetype(turnedSize));
        out.width = outW;
        out.height = outH;
        m_applied = {QSize(width, height), QSize(outW, outH),
                     crop.isNull() ? QRect() : QRect(crop.topLeft(), QSize(outW, outH))};
    }
    tjFree(turned);
    return out;
}

RawFrame FrameTransformer::applyI420(const RawFrame &frame, const FrameTransform &transform)
{
    // Even sizes keep every chroma sample over the same 2x2 luma pixels after any turn: an odd
    // last row or column is left out, and a crop's corners snap to even positions.
    const QSize even(frame.width & ~1, frame.height & ~1);
    const QSize rotated = transform.rotatedSize(even);
    const QRect crop = fitCrop(transform.crop, rotated, 2, 2);
    const QRect region = crop.isNull() ? QRect(QPoint(), rotated) : crop;
    RawFrame out = frame;
    out.width = region.width();
    out.height = region.height();
    out.image = m_pool.acquire(i420ImageSize(out.width, out.height), QImage::Format_Grayscale8);
    if (out.image.isNull() || frame.image.size() != i420ImageSize(frame.width, frame.height)) {
        out.image = QImage(); // the encoder counts it as failed
        return out;
    }
    // Read through constBits(): the camera's image is shared and must not be detached.
    const uchar *y = frame.image.constBits();
    const int stride = int(frame.image.bytesPerLine());
    const uchar *u = y + qsizetype(stride) * frame.height;
    const uchar *v = u + qsizetype(stride / 2) * ((frame.height + 1) / 2);
    const I420Planes dst = i420Planes(out.image, out.width, out.height);
    const FrameTransform::Op op = transform.op();
    transformPlane(y, stride, even, op.mirror, op.rotate, region, dst.plane[0], dst.stride[0]);
    const QRect chroma(region.x() / 2, region.y() / 2, region.width() / 2, region.height() / 2);
    const uchar *chromaPlanes[2] = {u, v};
    for (int i = 0; i < 2; ++i)
        transformPlane(chromaPlanes[i], stride / 2, even / 2, op.mirror, op.rotate, chroma,
                       dst.plane[i + 1], dst.stride[i + 1]);
    m_applied = {QSize(frame.width, frame.height), region.size(), crop};
    return out;
}

RawFrame FrameTransformer::applyImage(const RawFrame &frame, const FrameTransform &transform)
{
    const FrameTransform::Op op = transform.op();
    QImage image = frame.image;
    if (op.mirror)
        image = image.mirrored(true, false);
    if (op.rotate != 0)
        image = image.transformed(QTransform().rotate(op.rotate));
    const QRect crop = fitCrop(transform.crop, image.size(), 1, 1);
    if (!crop.isNull())
        image = image.copy(crop);
    RawFrame out = frame;
    out.image = image;
    out.width = image.width();
    out.height = image.height();
    m_applied = {QSize(frame.width, frame.height), image.size(), crop};
    return out;
}
