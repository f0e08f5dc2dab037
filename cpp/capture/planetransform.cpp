#include "planetransform.h"

#include <algorithm>
#include <cstring>

namespace {
// Rotations read the source down its columns: done in square tiles so that the rows a tile
// reads stay in the cache while it is written.
constexpr int kTile = 64;

// Where the source pixel of turned position (u, v) lies: offset(u, v) = base + u * du + v * dv.
struct Walk
{
    qsizetype base = 0;
    qsizetype du = 0;
    qsizetype dv = 0;
};

Walk walkFor(int stride, QSize size, bool mirror, int rotate)
{
    const int w = size.width();
    const int h = size.height();
    // Position (x', y') in the mirrored picture for turned position (u, v), as origin plus
    // steps: r=90 → (v, h-1-u); r=180 → (w-1-u, h-1-v); r=270 → (w-1-v, u).
    int x0 = 0, y0 = 0, xu = 1, yu = 0, xv = 0, yv = 1;
    switch (rotate) {
    case 90:
        x0 = 0, y0 = h - 1, xu = 0, yu = -1, xv = 1, yv = 0;
        break;
    case 180:
        x0 = w - 1, y0 = h - 1, xu = -1, yu = 0, xv = 0, yv = -1;
        break;
    case 270:
        x0 = w - 1, y0 = 0, xu = 0, yu = 1, xv = -1, yv = 0;
        break;
    default:
        break;
    }
    if (mirror) { // x = w-1-x'
        x0 = w - 1 - x0;
        xu = -xu;
        xv = -xv;
    }
    return {x0 + qsizetype(y0) * stride, xu + qsizetype(yu) * stride, xv + qsizetype(yv) * stride};
}
} // namespace

void transformPlane(const uchar *src, int srcStride, QSize srcSize, bool mirror, int rotate,
                    const QRect &crop, uchar *dst, int dstStride)
{
    const Walk walk = walkFor(srcStride, srcSize, mirror, rotate);
    const qsizetype origin = walk.base + crop.x() * walk.du + crop.y() * walk.dv;
    const int width = crop.width();
    const int height = crop.height();
    if (walk.du == 1) { // rows stay rows: copy them
        for (int j = 0; j < height; ++j)
            std::memcpy(dst + qsizetype(j) * dstStride, src + origin + j * walk.dv, size_t(width));
        return;
    }
    if (walk.du == -1) { // rows mirrored
        for (int j = 0; j < height; ++j) {
            const uchar *s = src + origin + j * walk.dv;
            uchar *d = dst + qsizetype(j) * dstStride;
            for (int i = 0; i < width; ++i)
                d[i] = *(s - i);
        }
        return;
    }
    for (int tj = 0; tj < height; tj += kTile) {
        const int tileRows = std::min(kTile, height - tj);
        for (int ti = 0; ti < width; ti += kTile) {
            const int tileCols = std::min(kTile, width - ti);
            for (int j = tj; j < tj + tileRows; ++j) {
                const uchar *s = src + origin + j * walk.dv + ti * walk.du;
                uchar *d = dst + qsizetype(j) * dstStride + ti;
                for (int i = 0; i < tileCols; ++i)
                    d[i] = s[i * walk.du];
            }
        }
    }
}
