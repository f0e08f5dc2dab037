#pragma once

#include "rawframe.h"

#include <QByteArray>
#include <QSize>
#include <QtGlobal>

#include <vector>

// Scales one 8-bit plane (luma or chroma) down, for the on-screen picture (preview/) and the
// smaller output profiles (encode/, issue 18): YUV planes are scaled before any conversion, so
// the conversion and every byte after it work on the smaller size, and a plane has a byte per
// sample where RGB32 has four.
// Halves with a 2x2 average while the source is at least twice the target (no aliasing from
// skipped samples), then interpolates bilinearly. Upscaling is not its job: a target larger
// than the source is only interpolated.
class PlaneScaler
{
public:
    struct Plane
    {
        const uchar *data = nullptr;
        int stride = 0;
        int width = 0;
        int height = 0;
    };

    void scale(const Plane &src, uchar *dst, int dstStride, int dstWidth, int dstHeight);
    // A picture's three planes, its chroma at any subsampling (a JPEG's 4:2:2 too), to I420 at
    // `target` (chroma at half of it each way, rounded up) in `dst`.
    void scaleToI420(const Plane (&src)[3], QSize target, const I420Planes &dst);

private:
    void bilinear(const Plane &src, uchar *dst, int dstStride, int dstWidth, int dstHeight);

    // Reused from frame to frame: no allocation per frame once the sizes are steady.
    std::vector<uchar> m_halved[2];
    std::vector<int> m_x0;
    std::vector<int> m_fx;
    std::vector<uchar> m_rows[2];
};

// A camera's JPEG decoded to its YUV planes (its own subsampling, no colour conversion) with the
// smallest of libjpeg-turbo's SIMD DCT scalings (1, 1/2, 1/4, 1/8) not under a target size: most
// of a downscale then costs nothing. Used by whoever wants a JPEG smaller on its planes.
namespace JpegPlanes {
// The size a `jpeg`-sized picture decodes to for `target`.
QSize decodedSize(QSize jpeg, QSize target);
// Decodes `jpeg` (tjhandle `tj`, a decompressor) at `decoded` (from decodedSize()) into
// `buffer`, whose planes `planes` then describe. `subsampling` is the JPEG's (TJSAMP_*), as
// tjDecompressHeader3 told it; grey JPEGs are not for this. False when it cannot be decoded
// (a warning, corrupt but displayable, still gives planes).
bool decode(void *tj, const QByteArray &jpeg, QSize decoded, int subsampling,
            std::vector<uchar> *buffer, PlaneScaler::Plane (&planes)[3]);
} // namespace JpegPlanes
