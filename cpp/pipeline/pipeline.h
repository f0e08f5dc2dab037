#pragma once

#include "camera.h"
#include "http/streamserver.h"
#include "pipelineconfig.h"

#include <QList>
#include <QObject>

#include <memory>

// Owns the cameras (each its capture, encoder and preview threads: Camera) and the server whose
// network threads they share (issue 19). The object itself belongs to the thread that made it.
class Pipeline : public QObject
{
    Q_OBJECT
public:
    explicit Pipeline(QObject *parent = nullptr);
    ~Pipeline() override;

    // Starts the server and every camera of config.cameraList(). False (with errorString()) if
    // the server cannot listen, the cameras are not acceptable (checkCameraList()) or a
    // source's plugin is not installed; a source failing to open is not an error: it shows
    // "no signal" and retries.
    bool start(const PipelineConfig &config);
    void stop();
    QString errorString() const { return m_errorString; }

    StreamServer *server() { return &m_server; }
    int cameraCount() const { return int(m_cameras.size()); }
    // The one at `index`, the first being what /stream serves (null when there is none).
    Camera *camera(int index = 0) const { return m_cameras.value(index); }
    Camera *camera(const QString &name) const;
    const QList<Camera *> &cameras() const { return m_cameras; }

    // Live changes from the settings panel. Each refuses (null or false, *error saying why,
    // nothing changed) a bad or taken name, a source another camera uses, more than
    // CameraConfig::kMaxCameras, and removing the last camera.
    Camera *addCamera(const CameraConfig &config, QString *error);
    bool removeCamera(const QString &name, QString *error);
    bool renameCamera(const QString &from, const QString &to, QString *error);

    // The widths viewers may ask for (--profiles), for new requests at once; viewers keep what
    // they have.
    void setProfileWidths(const QList<int> &widths);
    // Moves the server to another port; false (with errorString()) if it cannot listen there,
    // in which case it keeps listening where it was.
    bool setPort(quint16 port);
    // The viewers' password (empty: no auth), for new requests at once and across setPort().
    void setPassword(const QByteArray &password);
    // The screen's own settings (PIN, sleep), kept here with the rest for the settings panel.
    void setKiosk(const KioskConfig &kiosk) { m_config.kiosk = kiosk; }
    // The settings in force: the top level is the first camera's, `cameras` lists them all
    // unless there is one camera named "main" (the --source form).
    PipelineConfig config() const;

signals:
    void camerasChanged(); // added, removed or renamed

private:
    // Makes the camera and its server side, and starts it; null (with *error) when it cannot.
    Camera *startCamera(const CameraConfig &config, QString *error);
    // Has every camera make one more frame: a server listening anew has none to send yet.
    void refreshCameras();

    PipelineConfig m_config; // the server's and the screen's; the cameras keep their own
    QString m_errorString;
    StreamServer m_server; // before the cameras, which publish through it
    QList<Camera *> m_cameras; // owned
};
