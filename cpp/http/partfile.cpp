#include "partfile.h"

#include <cerrno>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

std::shared_ptr<const PartFile> PartFile::create(const QByteArray &header, const QByteArray &jpeg,
                                                 const QByteArray &trailer)
{
    const int fd = ::memfd_create("mjpeg-part", MFD_CLOEXEC);
    if (fd < 0)
        return nullptr;
    iovec iov[3] = {
        {const_cast<char *>(header.constData()), size_t(header.size())},
        {const_cast<char *>(jpeg.constData()), size_t(jpeg.size())},
        {const_cast<char *>(trailer.constData()), size_t(trailer.size())},
    };
    const qint64 total = header.size() + jpeg.size() + trailer.size();
    ssize_t n;
    do {
        n = ::pwritev(fd, iov, 3, 0);
    } while (n < 0 && errno == EINTR);
    // A short write to tmpfs means memory is short: give up, the caller writes from memory.
    if (n != total) {
        ::close(fd);
        return nullptr;
    }
    return std::shared_ptr<const PartFile>(new PartFile(fd, total));
}

PartFile::~PartFile()
{
    ::close(m_fd);
}
