// Cost per frame of --rotate/--flip/--crop (FrameTransformer) against what a decoding streamer
// would pay: decode + turn + encode. Camera-like JPEGs (4:2:2, q80, noisy) and I420 planes at
// 1280x720 and 1920x1080. Usage: transform-bench [iterations]
#include "capture/frametransform.h"
#include "encode/jpegencoder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPainter>
#include <QRandomGenerator>
#include <QTransform>

#include <cstdio>
#include <functional>
#include <malloc.h>

#include <turbojpeg.h>

namespace {
QImage cameraPicture(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    QRandomGenerator random(42);
    for (int y = 0; y < size.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x) {
            const int noise = int(random.bounded(16u));
            line[x] = qRgb((x * 255 / size.width() + noise) & 0xff, y * 255 / size.height(),
                           (128 + noise) & 0xff);
        }
    }
    QPainter(&image).fillRect(QRect(40, 40, size.width() / 3, size.height() / 4), Qt::red);
    return image;
}

QByteArray cameraJpeg(const QImage &image)
{
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = nullptr;
    unsigned long size = 0;
    tjCompress2(tj, image.constBits(), image.width(), int(image.bytesPerLine()), image.height(),
                TJPF_BGRX, &jpeg, &size, TJSAMP_422, 80, 0);
    QByteArray bytes(reinterpret_cast<const char *>(jpeg), qsizetype(size));
    tjFree(jpeg);
    tjDestroy(tj);
    return bytes;
}

RawFrame i420Of(const QImage &image, JpegEncoder &encoder)
{
    // Through the encoder's own I420 path: decode a 4:2:0 JPEG into planes.
    const QByteArray jpeg = encoder.encode(image, 90);
    RawFrame frame;
    frame.kind = RawFrame::Kind::I420;
    frame.width = image.width();
    frame.height = image.height();
    frame.image = QImage(i420ImageSize(frame.width, frame.height), QImage::Format_Grayscale8);
    const I420Planes p = i420Planes(frame.image, frame.width, frame.height);
    tjhandle tj = tjInitDecompress();
    unsigned char *planes[3] = {p.plane[0], p.plane[1], p.plane[2]};
    int strides[3] = {p.stride[0], p.stride[1], p.stride[2]};
    tjDecompressToYUVPlanes(tj, reinterpret_cast<const unsigned char *>(jpeg.constData()),
                            (unsigned long)jpeg.size(), planes, frame.width, strides, frame.height,
                            0);
    tjDestroy(tj);
    return frame;
}

double msPerRun(int iterations, const std::function<void()> &run)
{
    run(); // warm: buffers, handles
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < iterations; ++i)
        run();
    return timer.nsecsElapsed() / 1e6 / iterations;
}

FrameTransform transformOf(int rotate, FrameTransform::Flip flip, QRect crop = {})
{
    FrameTransform t;
    t.rotate = rotate;
    t.flip = flip;
    t.crop = crop;
    return t;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // As mjpeg-kiosk's main() does (see there); "plain" to measure without.
    const bool plainMalloc = qEnvironmentVariableIsSet("TRANSFORM_BENCH_PLAIN_MALLOC");
    if (!plainMalloc) {
        mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    }
    const int iterations = argc > 1 ? std::max(1, atoi(argv[1])) : 50;
    using F = FrameTransform::Flip;
    std::printf("%-10s %-34s %9s\n", "size", "what", "ms/frame");
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        const QImage picture = cameraPicture(size);
        const QByteArray jpeg = cameraJpeg(picture);
        JpegEncoder encoder;
        RawFrame camera;
        camera.kind = RawFrame::Kind::Jpeg;
        camera.jpeg = jpeg;
        camera.width = size.width();
        camera.height = size.height();
        const RawFrame planes = i420Of(picture, encoder);
        const QString label = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
        FrameTransformer transformer;
        auto report = [&](const char *what, double ms) {
            std::printf("%-10s %-34s %9.2f\n", qPrintable(label), what, ms);
        };
        const QRect crop(size.width() / 4 + 3, size.height() / 4 + 5, size.width() / 2,
                         size.height() / 2);
        const struct
        {
            const char *name;
            FrameTransform t;
        } cases[] = {
            {"rotate 90", transformOf(90, F::None)},
            {"rotate 180", transformOf(180, F::None)},
            {"flip horizontal", transformOf(0, F::Horizontal)},
            {"crop half (centre)", transformOf(0, F::None, crop)},
        };
        for (const auto &c : cases) {
            report(qPrintable(QStringLiteral("jpeg lossless %1").arg(QLatin1String(c.name))),
                   msPerRun(iterations, [&] { transformer.apply(camera, c.t); }));
        }
        // The floor of any lossless transform: coefficients read and written back unchanged.
        tjhandle tj = tjInitTransform();
        report("jpeg tjTransform NONE (floor)", msPerRun(iterations, [&] {
                   tjtransform none{};
                   unsigned char *out = nullptr;
                   unsigned long outSize = 0;
                   tjTransform(tj, reinterpret_cast<const unsigned char *>(jpeg.constData()),
                               (unsigned long)jpeg.size(), 1, &out, &outSize, &none, 0);
                   tjFree(out);
               }));
        tjDestroy(tj);
        report("jpeg decode only (TurboJPEG)", msPerRun(iterations, [&] {
                   QImage decoded(size, QImage::Format_RGB32);
                   tjhandle d = tjInitDecompress();
                   tjDecompress2(d, reinterpret_cast<const unsigned char *>(jpeg.constData()),
                                 (unsigned long)jpeg.size(), decoded.bits(), size.width(),
                                 int(decoded.bytesPerLine()), size.height(), TJPF_BGRX, 0);
                   tjDestroy(d);
               }));
        report("jpeg decode+rotate 90+encode q80", msPerRun(iterations, [&] {
                   const QImage decoded = QImage::fromData(jpeg, "JPEG");
                   encoder.encode(decoded.transformed(QTransform().rotate(90)), 80);
               }));
        report("jpeg pass-through check only", msPerRun(iterations, [&] {
                   QByteArray copy = jpeg;
                   JpegEncoder::checkJpeg(&copy);
               }));
        for (const auto &c : cases) {
            report(qPrintable(QStringLiteral("i420 planes %1").arg(QLatin1String(c.name))),
                   msPerRun(iterations, [&] { transformer.apply(planes, c.t); }));
        }
        RawFrame copy = planes;
        report("i420 encode q80 (for scale)", msPerRun(iterations, [&] {
                   encoder.encodeI420(copy.image, copy.width, copy.height, 80);
               }));
    }
    return 0;
}
