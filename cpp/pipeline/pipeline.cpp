#include "pipeline.h"

#include "capture/placeholder.h"
#include "capture/sourcefactory.h"

#include <QFile>

Pipeline::Pipeline(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RawFrame>();
    qRegisterMetaType<Frame>();
    qRegisterMetaType<FrameSource::Info>();
    qRegisterMetaType<PoolStats>();
    m_captureThread.setObjectName(QStringLiteral("capture"));
    m_encodeThread.setObjectName(QStringLiteral("encode"));
    connect(this, &Pipeline::sourceInfoChanged, &m_server, &StreamServer::setSourceInfo);

    QFile page(QStringLiteral(":/assets/index.html"));
    if (page.open(QIODevice::ReadOnly))
        m_server.setIndexHtml(page.readAll());
}

Pipeline::~Pipeline()
{
    stop();
}

bool Pipeline::start(const PipelineConfig &config)
{
    stop();
    m_config = config;
    if (!m_server.listen(config.server)) {
        m_errorString = m_server.errorString();
        return false;
    }

    m_encoder = new JpegEncoder(config.quality);
    m_encoder->moveToThread(&m_encodeThread);
    connect(&m_encodeThread, &QThread::finished, m_encoder, &QObject::deleteLater);
    // Direct: runs on the encoder's thread and hands the frame to the network threads without
    // a detour through this (GUI) thread.
    connect(m_encoder, &JpegEncoder::frameEncoded, this, [this](const Frame &frame) {
        {
            QMutexLocker lock(&m_latestMutex);
            m_latest = frame;
        }
        m_server.publishFrame(frame);
        emit frameEncoded(frame);
    }, Qt::DirectConnection);
    m_server.setEncoder(m_encoder);
    m_encodeThread.start();
    m_captureThread.start();
    startSource();
    return true;
}

void Pipeline::stop()
{
    stopSource();
    m_captureThread.quit();
    m_captureThread.wait();
    m_server.setEncoder(nullptr);
    m_server.close();
    m_encodeThread.quit();
    m_encodeThread.wait();
    m_encoder = nullptr;
}

void Pipeline::startSource()
{
    m_source = createFrameSource(m_config.source, m_config.resolution, m_config.fps);
    m_source->moveToThread(&m_captureThread);
    JpegEncoder *encoder = m_encoder;
    connect(m_source, &FrameSource::frameCaptured, m_source,
            [this, encoder](const RawFrame &frame) { encoder->submit(screened(frame)); },
            Qt::DirectConnection);
    connect(m_source, &FrameSource::infoChanged, this, &Pipeline::sourceInfoChanged);
    QMetaObject::invokeMethod(m_source, &FrameSource::start, Qt::QueuedConnection);
}

void Pipeline::stopSource()
{
    if (!m_source)
        return;
    // Stopped and deleted on its own thread, after a camera read in progress; never waited for
    // here, since a stalled camera must not freeze the caller.
    QMetaObject::invokeMethod(m_source, &FrameSource::stop, Qt::QueuedConnection);
    m_source->deleteLater();
    m_source = nullptr;
}

void Pipeline::setSource(const QString &spec, QSize resolution, double fps)
{
    m_config.source = spec;
    m_config.resolution = resolution;
    m_config.fps = fps;
    if (!m_encoder)
        return;
    stopSource();
    startSource();
}

void Pipeline::setQuality(int quality)
{
    m_config.quality = quality;
    if (m_encoder)
        m_encoder->setQuality(quality);
}

bool Pipeline::setPort(quint16 port)
{
    if (port == m_config.server.port && m_server.isListening())
        return true;
    // From the server's live settings, not m_config.server: credentials set on the server at
    // run time must survive the move, and "where it was" is the port it really had (not 0).
    ServerConfig previous = m_config.server;
    if (m_server.isListening()) {
        previous = m_server.config();
        previous.port = quint16(m_server.port());
    }
    ServerConfig config = previous;
    config.port = port;
    if (!m_server.listen(config)) {
        m_errorString = m_server.errorString();
        m_server.listen(previous);
        m_server.setEncoder(m_encoder);
        return false;
    }
    m_config.server = config;
    m_server.setEncoder(m_encoder);
    return true;
}

void Pipeline::setPassword(const QByteArray &password)
{
    m_config.server.password = password;
    m_server.setCredentials(m_config.server.user, password);
}

void Pipeline::setPrivacy(bool on)
{
    if (m_privacy.exchange(on) != on)
        emit privacyChanged(on);
}

RawFrame Pipeline::screened(const RawFrame &frame)
{
    if (!m_privacy.load())
        return frame;
    const QSize size = frame.isValid() ? QSize(frame.width, frame.height) : m_config.resolution;
    const qint64 second = frame.captureTimeUs / 1000000;
    if (m_privacyImage.size() != size || second != m_privacyImageSecond) {
        m_privacyImage = renderPlaceholder(size, QStringLiteral("PRIVACY"),
                                           QStringLiteral("the camera is hidden by the kiosk"));
        m_privacyImageSecond = second;
    }
    RawFrame placeholder = frame;
    placeholder.kind = RawFrame::Kind::Image;
    placeholder.jpeg = QByteArray();
    placeholder.image = m_privacyImage;
    placeholder.width = size.width();
    placeholder.height = size.height();
    return placeholder;
}

Frame Pipeline::latestFrame() const
{
    QMutexLocker lock(&m_latestMutex);
    return m_latest;
}
