#pragma once

#include <QByteArray>

#include <memory>

// One multipart part (header, JPEG, CRLF) written once into an anonymous in-memory file, so
// every viewer can be sent it with sendfile(): the kernel then hands the same pages to each
// socket instead of copying the bytes into every socket's buffer (the copy a sendmsg() from
// user memory costs per viewer). Unused when the kernel refuses memfd_create.
class PartFile
{
public:
    // Null when the file cannot be made; callers fall back to writing from memory.
    static std::shared_ptr<const PartFile> create(const QByteArray &header, const QByteArray &jpeg,
                                                  const QByteArray &trailer);
    ~PartFile();
    PartFile(const PartFile &) = delete;
    PartFile &operator=(const PartFile &) = delete;

    int fd() const { return m_fd; }
    qint64 size() const { return m_size; }

private:
    PartFile(int fd, qint64 size)
        : m_fd(fd)
        , m_size(size)
    { }
    int m_fd;
    qint64 m_size;
};
