// PartFile: one multipart part in an in-memory file that viewers are sent with sendfile();
// what comes out of the descriptor, and of a real socket, is the part byte for byte.
#include "http/multipart.h"
#include "http/partfile.h"
#include "multipartreader.h"

#include <QBuffer>
#include <QImage>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
QByteArray realJpeg()
{
    QImage image(160, 120, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 80);
    return buffer.data();
}

// The whole file through its descriptor, from offset 0 (pread: the file offset is shared by
// every viewer, so nothing may depend on it).
QByteArray readAll(int fd, qint64 size)
{
    QByteArray bytes(size + 16, '\0'); // room to see bytes that should not be there
    const ssize_t n = ::pread(fd, bytes.data(), size_t(bytes.size()), 0);
    return n < 0 ? QByteArray() : bytes.left(n);
}

// Sends the file down one end of a socket pair with sendfile(), as a viewer is sent a part,
// and reads what arrives at the other end.
QByteArray throughSocket(const PartFile &file)
{
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return {};
    // Big enough for the whole part at once; a real viewer loops on partial sends.
    const int size = int(file.size()) * 2 + 65536;
    ::setsockopt(pair[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    ::setsockopt(pair[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    off_t offset = 0;
    while (offset < file.size()) {
        const ssize_t n = ::sendfile(pair[0], file.fd(), &offset, size_t(file.size() - offset));
        if (n <= 0 && errno != EINTR)
            break;
    }
    ::close(pair[0]);
    QByteArray received;
    char chunk[65536];
    for (ssize_t n; (n = ::read(pair[1], chunk, sizeof chunk)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        received.append(chunk, n);
    }
    ::close(pair[1]);
    return received;
}
} // namespace

class TestPartFile : public QObject
{
    Q_OBJECT

private slots:
    void holdsTheWholePart();
    void sentWithSendfile();
    void streamFrameWithFile();
    void closedWithTheLastOwner();
};

void TestPartFile::holdsTheWholePart()
{
    const QByteArray jpeg = realJpeg();
    QVERIFY(jpeg.startsWith("\xff\xd8"));
    const QByteArray header = Multipart::partHeader(jpeg.size(), 1700000000123456);
    const auto file = PartFile::create(header, jpeg, Multipart::partTrailer());
    QVERIFY2(file, "memfd_create refused");
    const QByteArray expected = header + jpeg + "\r\n";
    QCOMPARE(file->size(), qint64(expected.size()));
    struct stat st
    { };
    QCOMPARE(::fstat(file->fd(), &st), 0);
    QCOMPARE(qint64(st.st_size), qint64(expected.size()));
    QCOMPARE(readAll(file->fd(), file->size()), expected);
    // Not inherited by programs the app starts.
    QVERIFY(::fcntl(file->fd(), F_GETFD) & FD_CLOEXEC);
}

void TestPartFile::sentWithSendfile()
{
    const QByteArray jpeg = realJpeg();
    const QByteArray header = Multipart::partHeader(jpeg.size(), 1700000000000001);
    const auto file = PartFile::create(header, jpeg, Multipart::partTrailer());
    QVERIFY(file);
    // Two viewers from the same file: each gets the whole part, the file is unchanged.
    for (int viewer = 0; viewer < 2; ++viewer) {
        const QByteArray received = throughSocket(*file);
        QCOMPARE(received, header + jpeg + "\r\n");
        TestSupport::MultipartReader reader(Multipart::kBoundary);
        QVERIFY2(reader.feed(received), qPrintable(reader.error()));
        QCOMPARE(reader.parts().size(), 1);
        QCOMPARE(reader.parts().first().jpeg, jpeg);
        QCOMPARE(reader.parts().first().timestamp, QByteArray("1700000000.000001"));
        QCOMPARE(reader.pendingBytes(), 0);
    }
}

void TestPartFile::streamFrameWithFile()
{
    // What the server makes per frame when zero-copy is on: the file holds exactly the part
    // that the in-memory path writes (header, JPEG, trailer).
    const QByteArray jpeg = realJpeg();
    const Frame frame(7, 1700000000654321, jpeg, QSize(160, 120), true);
    const StreamFrame withFile = StreamFrame::from(frame, true);
    QVERIFY(withFile.file);
    const QByteArray inMemory = withFile.partHeader + jpeg + Multipart::partTrailer();
    QCOMPARE(throughSocket(*withFile.file), inMemory);
    QVERIFY(!StreamFrame::from(frame, false).file);
}

void TestPartFile::closedWithTheLastOwner()
{
    // Shared by every viewer still sending it: the descriptor lives as long as one holds it.
    auto file = PartFile::create("h", "jpeg", "\r\n");
    QVERIFY(file);
    const int fd = file->fd();
    auto viewer = file;
    file.reset();
    QVERIFY(::fcntl(fd, F_GETFD) != -1);
    QCOMPARE(readAll(viewer->fd(), viewer->size()), QByteArray("hjpeg\r\n"));
    viewer.reset();
    QCOMPARE(::fcntl(fd, F_GETFD), -1);
    QCOMPARE(errno, EBADF);
}

QTEST_GUILESS_MAIN(TestPartFile)
#include "tst_partfile.moc"
