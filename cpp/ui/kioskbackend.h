#pragma once

#include "http/streamserver.h"

#include <QObject>
#include <QQmlEngine>

class Pipeline;

// Makes StreamServer known to QML by name, without the backend depending on Qt Qml.
struct StreamServerForeign
{
    Q_GADGET
    QML_FOREIGN(StreamServer)
    QML_NAMED_ELEMENT(StreamServer)
    QML_UNCREATABLE("StreamServer is owned by the application; use Kiosk.server")
};

// The QML-facing entry point to the running pipeline (singleton "Kiosk").
class KioskBackend : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Kiosk)
    QML_SINGLETON
    Q_PROPERTY(StreamServer *server READ server CONSTANT)
    Q_PROPERTY(bool kioskMode READ kioskMode CONSTANT)
    Q_PROPERTY(quint64 frameSequence READ frameSequence NOTIFY frameSequenceChanged)
    Q_PROPERTY(bool sourceOnline READ sourceOnline NOTIFY sourceChanged)
    Q_PROPERTY(QString sourceDescription READ sourceDescription NOTIFY sourceChanged)
    Q_PROPERTY(QSize sourceSize READ sourceSize NOTIFY sourceChanged)

public:
    static void setInstance(Pipeline *pipeline, bool kioskMode);
    static KioskBackend *create(QQmlEngine *, QJSEngine *);

    StreamServer *server() const;
    bool kioskMode() const { return m_kioskMode; }
    quint64 frameSequence() const { return m_frameSequence; }
    bool sourceOnline() const { return m_source.online; }
    QString sourceDescription() const { return m_source.description; }
    QSize sourceSize() const { return m_source.size; }

signals:
    void frameSequenceChanged();
    void sourceChanged();

private:
    KioskBackend(Pipeline *pipeline, bool kioskMode);

    Pipeline *m_pipeline;
    bool m_kioskMode;
    quint64 m_frameSequence = 0;
    FrameSource::Info m_source;
};
