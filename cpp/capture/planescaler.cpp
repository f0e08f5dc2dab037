#include "planescaler.h"

#include <algorithm>
#include <cstring>

#include <turbojpeg.h>

namespace {
// 2x2 average; an odd last row or column is averaged with itself.
PlaneScaler::Plane halve(const PlaneScaler::Plane &src, std::vector<uchar> *buffer)
{
    const int w = (src.width + 1) / 2;
    const int h = (src.height + 1) / 2;
    const int pairs = src.width / 2; // output columns with two source columns
    buffer->resize(size_t(w) * size_t(h));
    for (int y = 0; y < h; ++y) {
        const uchar *a = src.data + qsizetype(2 * y) * src.stride;
        const uchar *b = src.data + qsizetype(std::min(2 * y + 1, src.height - 1)) * src.stride;
        uchar *out = buffer->data() + qsizetype(y) * w;
        for (int x = 0; x < pairs; ++x)
            out[x] = uchar((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
        if (pairs < w)
            out[pairs] = uchar((a[2 * pairs] + b[2 * pairs] + 1) >> 1);
    }
    return {buffer->data(), w, w, h};
}

// Where destination sample `i` falls in the source, in 1/256ths (centres aligned).
int sourcePosition(int i, int srcSize, int dstSize)
{
    const qint64 pos = ((2 * qint64(i) + 1) * srcSize * 256) / (2 * qint64(dstSize)) - 128;
    return int(std::clamp<qint64>(pos, 0, qint64(srcSize - 1) * 256));
}
} // namespace

void PlaneScaler::scale(const Plane &src, uchar *dst, int dstStride, int dstWidth, int dstHeight)
{
    if (dstWidth <= 0 || dstHeight <= 0 || src.width <= 0 || src.height <= 0)
        return;
    Plane from = src;
    int buffer = 0;
    while (from.width >= 2 * dstWidth && from.height >= 2 * dstHeight) {
        from = halve(from, &m_halved[buffer]);
        buffer ^= 1;
    }
    if (from.width == dstWidth && from.height == dstHeight) {
        for (int y = 0; y < dstHeight; ++y)
            std::memcpy(dst + qsizetype(y) * dstStride, from.data + qsizetype(y) * from.stride,
                        size_t(dstWidth));
        return;
    }
    bilinear(from, dst, dstStride, dstWidth, dstHeight);
}

void PlaneScaler::bilinear(const Plane &src, uchar *dst, int dstStride, int dstWidth, int dstHeight)
{
    m_x0.resize(size_t(dstWidth));
    m_fx.resize(size_t(dstWidth));
    for (int x = 0; x < dstWidth; ++x) {
        const int pos = sourcePosition(x, src.width, dstWidth);
        m_x0[size_t(x)] = pos >> 8;
        m_fx[size_t(x)] = pos & 255;
    }
    // Each source row is scaled horizontally once, into one of two row buffers, and each
    // output row blends the two it falls between.
    int rowIn[2] = {-1, -1};
    for (auto &row : m_rows)
        row.resize(size_t(dstWidth));
    const auto horizontal = [&](int sy, int slot) {
        const uchar *s = src.data + qsizetype(sy) * src.stride;
        uchar *out = m_rows[slot].data();
        const int last = src.width - 1;
        for (int x = 0; x < dstWidth; ++x) {
            const int x0 = m_x0[size_t(x)];
            const int fx = m_fx[size_t(x)];
            out[x] = uchar((s[x0] * (256 - fx) + s[std::min(x0 + 1, last)] * fx + 128) >> 8);
        }
        rowIn[slot] = sy;
    };
    for (int y = 0; y < dstHeight; ++y) {
        const int pos = sourcePosition(y, src.height, dstHeight);
        const int y0 = pos >> 8;
        const int y1 = std::min(y0 + 1, src.height - 1);
        const int fy = pos & 255;
        // Keep whichever buffered row is still needed.
        int slot0 = rowIn[0] == y0 ? 0 : rowIn[1] == y0 ? 1 : -1;
        if (slot0 < 0) {
            slot0 = rowIn[0] == y1 ? 1 : 0;
            horizontal(y0, slot0);
        }
        const int slot1 = slot0 ^ 1;
        if (rowIn[slot1] != y1)
            horizontal(y1, slot1);
        const uchar *a = m_rows[slot0].data();
        const uchar *b = m_rows[slot1].data();
        uchar *out = dst + qsizetype(y) * dstStride;
        for (int x = 0; x < dstWidth; ++x)
            out[x] = uchar((a[x] * (256 - fy) + b[x] * fy + 128) >> 8);
    }
}

void PlaneScaler::scaleToI420(const Plane (&src)[3], QSize target, const I420Planes &dst)
{
    const int w = target.width(), h = target.height();
    const int cw = (w + 1) / 2, ch = (h + 1) / 2;
    scale(src[0], dst.plane[0], dst.stride[0], w, h);
    scale(src[1], dst.plane[1], dst.stride[1], cw, ch);
    scale(src[2], dst.plane[2], dst.stride[2], cw, ch);
}

namespace {
// Not the fast DCT when decoding to planes: libjpeg-turbo 2.1 then gets the chroma of a
// DCT-scaled decode badly wrong (blue's Cr 44 instead of 107: tst_previewstage).
constexpr int kTurboPlaneFlags = 0;
} // namespace

QSize JpegPlanes::decodedSize(QSize jpeg, QSize target)
{
    const int width = jpeg.width(), height = jpeg.height();
    int denominator = 1;
    while (denominator < 8 && (width + 2 * denominator - 1) / (2 * denominator) >= target.width()
           && (height + 2 * denominator - 1) / (2 * denominator) >= target.height())
        denominator *= 2;
    return QSize((width + denominator - 1) / denominator, (height + denominator - 1) / denominator);
}

bool JpegPlanes::decode(void *tj, const QByteArray &jpeg, QSize decoded, int subsampling,
                        std::vector<uchar> *buffer, PlaneScaler::Plane (&planes)[3])
{
    uchar *dst[3] = {};
    int strides[3] = {};
    qsizetype total = 0;
    for (int i = 0; i < 3; ++i) {
        planes[i].width = tjPlaneWidth(i, decoded.width(), subsampling);
        planes[i].height = tjPlaneHeight(i, decoded.height(), subsampling);
        planes[i].stride = strides[i] = planes[i].width;
        if (planes[i].width <= 0 || planes[i].height <= 0)
            return false;
        total += qsizetype(planes[i].width) * planes[i].height;
    }
    buffer->resize(size_t(total));
    dst[0] = buffer->data();
    dst[1] = dst[0] + qsizetype(strides[0]) * planes[0].height;
    dst[2] = dst[1] + qsizetype(strides[1]) * planes[1].height;
    for (int i = 0; i < 3; ++i)
        planes[i].data = dst[i];
    const auto *data = reinterpret_cast<const uchar *>(jpeg.constData());
    return tjDecompressToYUVPlanes(tj, data, (unsigned long)jpeg.size(), dst, decoded.width(),
                                   strides, decoded.height(), kTurboPlaneFlags)
        == 0
        || tjGetErrorCode(tj) == TJERR_WARNING;
}
