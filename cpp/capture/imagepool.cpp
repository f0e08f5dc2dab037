#include "imagepool.h"

#include <QList>
#include <QMutex>

#include <cstdlib>

struct ImagePool::Shelf
{
    QMutex mutex;
    qsizetype bufferBytes = 0; // all buffers on the shelf have this size
    QList<uchar *> free;
    int maxFree = 4;

    ~Shelf()
    {
        for (uchar *buffer : free)
            std::free(buffer);
    }
};

namespace {
struct Loan
{
    std::shared_ptr<ImagePool::Shelf> shelf;
    uchar *buffer;
    qsizetype bytes;
};

void giveBack(void *info)
{
    auto *loan = static_cast<Loan *>(info);
    {
        QMutexLocker lock(&loan->shelf->mutex);
        if (loan->bytes == loan->shelf->bufferBytes
            && loan->shelf->free.size() < loan->shelf->maxFree) {
            loan->shelf->free.append(loan->buffer);
            loan->buffer = nullptr;
        }
    }
    std::free(loan->buffer);
    delete loan;
}
} // namespace

ImagePool::ImagePool(int maxFree)
    : m_shelf(std::make_shared<Shelf>())
{
    m_shelf->maxFree = maxFree;
}

ImagePool::~ImagePool() = default;

QImage ImagePool::acquire(const QSize &size, QImage::Format format)
{
    const int depth = QImage::toPixelFormat(format).bitsPerPixel();
    const qsizetype bytesPerLine = ((qsizetype(size.width()) * depth + 31) / 32) * 4;
    const qsizetype bytes = bytesPerLine * size.height();

    uchar *buffer = nullptr;
    {
        QMutexLocker lock(&m_shelf->mutex);
        if (m_shelf->bufferBytes != bytes) {
            for (uchar *old : m_shelf->free)
                std::free(old);
            m_shelf->free.clear();
            m_shelf->bufferBytes = bytes;
        }
        if (!m_shelf->free.isEmpty())
            buffer = m_shelf->free.takeLast();
    }
    if (!buffer)
        buffer = static_cast<uchar *>(std::malloc(size_t(bytes)));
    if (!buffer)
        return {};
    auto *loan = new Loan{m_shelf, buffer, bytes};
    return QImage(buffer, size.width(), size.height(), bytesPerLine, format, giveBack, loan);
}
