#pragma once

#include <QImage>

#include <memory>

// Recycles frame-sized pixel buffers. A 1280x720 frame is several megabytes: allocating one per
// frame means fresh mmap()ed pages and a page fault per 4 KiB every time. An image's buffer
// returns to the pool when the last QImage sharing it is gone (encoder, preview, viewers),
// whichever thread that happens on; the pool may die first, the buffers then simply free.
class ImagePool
{
public:
    explicit ImagePool(int maxFree = 4);
    ~ImagePool();
    ImagePool(const ImagePool &) = delete;
    ImagePool &operator=(const ImagePool &) = delete;

    // An image that nobody else references; its pixels are undefined.
    QImage acquire(const QSize &size, QImage::Format format);

    struct Shelf; // shared with the images on loan, so it outlives the pool if they do

private:
    std::shared_ptr<Shelf> m_shelf;
};
