#pragma once

#include <QtGlobal>

#include <vector>

// Scales one 8-bit plane (luma or chroma) down, for the on-screen picture: YUV planes are
// scaled before their conversion to RGB, so the conversion and every byte after it work on the
// shown size, and a plane has a byte per sample where RGB32 has four.
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

private:
    void bilinear(const Plane &src, uchar *dst, int dstStride, int dstWidth, int dstHeight);

    // Reused from frame to frame: no allocation per frame once the sizes are steady.
    std::vector<uchar> m_halved[2];
    std::vector<int> m_x0;
    std::vector<int> m_fx;
    std::vector<uchar> m_rows[2];
};
