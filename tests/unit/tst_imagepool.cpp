#include "capture/imagepool.h"

#include <QTest>
#include <QThread>

class TestImagePool : public QObject
{
    Q_OBJECT

private slots:
    void reusedAfterRelease();
    void notReusedWhileReferenced();
    void sizeChangeDropsOldBuffers();
    void releasedOnAnotherThread();
    void outlivesPool();
};

void TestImagePool::reusedAfterRelease()
{
    ImagePool pool;
    const uchar *first = nullptr;
    {
        QImage image = pool.acquire(QSize(320, 240), QImage::Format_RGB32);
        QCOMPARE(image.size(), QSize(320, 240));
        QCOMPARE(image.format(), QImage::Format_RGB32);
        QCOMPARE(image.bytesPerLine(), 320 * 4);
        image.fill(Qt::red); // writable without a detach
        first = image.constBits();
    }
    const QImage again = pool.acquire(QSize(320, 240), QImage::Format_RGB32);
    QCOMPARE(again.constBits(), first);
}

void TestImagePool::notReusedWhileReferenced()
{
    ImagePool pool;
    QImage image = pool.acquire(QSize(64, 64), QImage::Format_RGB32);
    QImage viewer = image; // e.g. the encoder or the preview still holds it
    image = QImage();
    const QImage other = pool.acquire(QSize(64, 64), QImage::Format_RGB32);
    QVERIFY(other.constBits() != viewer.constBits());
    const uchar *held = viewer.constBits();
    // The last reference goes: the next acquire gets the buffer back.
    viewer = QImage();
    const QImage reused = pool.acquire(QSize(64, 64), QImage::Format_RGB32);
    QCOMPARE(reused.constBits(), held);
}

void TestImagePool::sizeChangeDropsOldBuffers()
{
    ImagePool pool;
    pool.acquire(QSize(64, 64), QImage::Format_RGB32); // released at once
    const QImage bigger = pool.acquire(QSize(128, 64), QImage::Format_RGB32);
    QCOMPARE(bigger.size(), QSize(128, 64));
    QCOMPARE(bigger.bytesPerLine(), 128 * 4);
    const QImage rgb = pool.acquire(QSize(30, 10), QImage::Format_RGB888);
    QCOMPARE(rgb.bytesPerLine(), 92); // 90 bytes padded to 32 bits
}

void TestImagePool::releasedOnAnotherThread()
{
    ImagePool pool;
    QImage image = pool.acquire(QSize(32, 32), QImage::Format_RGB32);
    const uchar *buffer = image.constBits();
    QThread *thread = QThread::create([image = std::move(image)]() mutable { image = QImage(); });
    thread->start();
    QVERIFY(thread->wait(30000));
    delete thread;
    QCOMPARE(pool.acquire(QSize(32, 32), QImage::Format_RGB32).constBits(), buffer);
}

void TestImagePool::outlivesPool()
{
    QImage image;
    {
        ImagePool pool;
        image = pool.acquire(QSize(16, 16), QImage::Format_RGB32);
        image.fill(Qt::blue);
    }
    // The pool is gone; the image still works and frees its buffer on its own (ASan/valgrind
    // would see a leak or a use after free).
    QCOMPARE(image.pixelColor(3, 3), QColor(Qt::blue));
    image = QImage();
}

QTEST_GUILESS_MAIN(TestImagePool)
#include "tst_imagepool.moc"
