#pragma once

#include "capture/framesource.h"

#include <QObject>
#include <QQmlEngine>
#include <QRectF>

class KioskSettings;

// "Share this view": the part of the picture zoomed into on the screen becomes the stream's
// crop, for every viewer, /snapshot and the screen itself; reset() puts back the crop in force
// before (none, or the one configured). The crop goes through the settings panel's apply(), so
// it is checked, applied live and saved exactly as if it had been typed into the panel's Crop
// field (and shows there). What is before a share is remembered only while the kiosk runs.
class ViewSharing : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use Kiosk.sharing")
    // A crop shared from the screen is in force; reset() undoes it. A crop set another way
    // since (the settings panel) ends it.
    Q_PROPERTY(bool shared READ isShared NOTIFY sharedChanged)
    // The crop shared, as --crop writes it ("WxH+X+Y"), and the one before it ("": none).
    Q_PROPERTY(QString sharedCrop READ sharedCrop NOTIFY sharedChanged)
    Q_PROPERTY(QString cropBefore READ cropBefore NOTIFY sharedChanged)

public:
    explicit ViewSharing(KioskSettings *settings, QObject *parent = nullptr);

    bool isShared() const { return m_shared; }
    QString sharedCrop() const { return m_sharedCrop; }
    QString cropBefore() const { return m_cropBefore; }

    // What the pipeline says it delivers (its size, the crop applied).
    void setSource(const FrameSource::Info &info) { m_source = info; }

    // Makes `viewed` (the part of the picture on the screen, normalised: 0..1 both ways) the
    // crop. Answers "" or why not (no picture, a crop the settings refuse).
    Q_INVOKABLE QString share(const QRectF &viewed);
    // Puts back the crop in force before the first share; "" or why not.
    Q_INVOKABLE QString reset();

    // The part of the rotated frame (the crop's coordinates) that the picture shows now: the
    // crop as applied (snapped), as asked while none is applied yet, or the whole frame.
    static QRect shownPart(const FrameSource::Info &info);

signals:
    void sharedChanged();

private:
    QString applyCrop(const QString &crop); // through the settings; "" or why not
    void end(); // no shared crop in force any more

    KioskSettings *m_settings;
    FrameSource::Info m_source;
    bool m_shared = false;
    bool m_applying = false;
    QString m_sharedCrop;
    QString m_cropBefore;
};
