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
    qint64 written = 0;
    while (written < total) {
        // A short write to tmpfs only happens on memory pressure; start over from what is left.
        const ssize_t n = ::pwritev(fd, iov, 3, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != total) {
            ::close(fd);
            return nullptr;
        }
        written = n;
    }
    return std::shared_ptr<const PartFile>(new PartFile(fd, total));
}

PartFile::~PartFile()
{
    ::close(m_fd);
}
