#include "profileencoders.h"

#include "jpegencoder.h"

#include <QLoggingCategory>
#include <QThread>

Q_DECLARE_LOGGING_CATEGORY(lcEncode)

ProfileEncoders::ProfileEncoders(int workers, QObject *parent)
    : QObject(parent)
{
    // Made now, started when first given a profile: a kiosk whose viewers all watch the full
    // size never starts one.
    for (int i = 0; i < workers; ++i) {
        Worker worker;
        worker.thread = new QThread(this);
        worker.thread->setObjectName(QStringLiteral("profile%1").arg(i + 1));
        worker.encoder = new JpegEncoder;
        worker.encoder->setNeeded(false);
        worker.encoder->moveToThread(worker.thread);
        connect(worker.encoder, &JpegEncoder::frameEncoded, this, &ProfileEncoders::frameEncoded,
                Qt::DirectConnection);
        m_workers.push_back(worker);
    }
}

ProfileEncoders::~ProfileEncoders()
{
    for (Worker &worker : m_workers) {
        worker.thread->quit();
        worker.thread->wait();
        delete worker.encoder;
    }
}

void ProfileEncoders::define(int id, int width, int quality)
{
    QMutexLocker lock(&m_mutex);
    if (width < 0)
        m_definitions.remove(id);
    else
        m_definitions.insert(id, Definition{width, quality});
}

void ProfileEncoders::setNeeded(int id, bool needed)
{
    QMutexLocker lock(&m_mutex);
    for (Worker &worker : m_workers) {
        if (worker.profile == id) {
            if (!needed) {
                worker.encoder->setNeeded(false);
                worker.profile = 0;
                --m_busy;
            }
            return; // needed and already made
        }
    }
    if (!needed)
        return;
    const auto definition = m_definitions.constFind(id);
    if (definition == m_definitions.cend()) {
        qCWarning(lcEncode) << "profile" << id << "asked for but never defined";
        return;
    }
    for (Worker &worker : m_workers) {
        if (worker.profile != 0)
            continue;
        worker.profile = id;
        // Taken with the next frame, so no frame is numbered for one profile and made for another.
        worker.encoder->setOutput(id, definition->width, definition->quality);
        worker.encoder->setNeeded(true);
        if (!worker.thread->isRunning())
            worker.thread->start();
        ++m_busy;
        return;
    }
    // The ProfileSet gives out at most as many profiles as there are workers.
    qCWarning(lcEncode) << "no encoder free for profile" << id;
}

void ProfileEncoders::submit(const RawFrame &frame)
{
    if (m_busy.load(std::memory_order_relaxed) == 0)
        return;
    QMutexLocker lock(&m_mutex);
    for (Worker &worker : m_workers) {
        if (worker.profile != 0)
            worker.encoder->submit(frame);
    }
}

void ProfileEncoders::setOverlay(const QString &format)
{
    for (Worker &worker : m_workers)
        worker.encoder->setOverlay(format);
}

void ProfileEncoders::setDropSameFrames(int maxDropped)
{
    for (Worker &worker : m_workers)
        worker.encoder->setDropSameFrames(maxDropped);
}
