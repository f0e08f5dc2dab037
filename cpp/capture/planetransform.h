#pragma once

#include <QRect>
#include <QSize>
#include <QtGlobal>

// One 8-bit plane (luma or chroma) mirrored left-right if `mirror`, then rotated clockwise by
// `rotate` (0, 90, 180, 270), and of that only `crop` (in the turned plane's coordinates, inside
// it) copied to `dst`, which is crop.width() x crop.height(). No colour conversion: the same
// code turns Y, U and V planes (and may scale them one day, issue 18).
void transformPlane(const uchar *src, int srcStride, QSize srcSize, bool mirror, int rotate,
                    const QRect &crop, uchar *dst, int dstStride);
