#pragma once

#include "pipeline/pipelineconfig.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>
#include <QVariantList>

class Camera;
class Pipeline;

// The settings panel's backend: what is in effect, the cameras to choose from, checking and
// applying new values live, and keeping them (QSettings) for the next start. Its fields are the
// option table's rows marked inSettingsPanel (pipeline/optiontable.h): the same checks as the
// command line and the config file.
class KioskSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use Kiosk.settings")
    Q_PROPERTY(QString source READ source NOTIFY changed)
    Q_PROPERTY(QString resolution READ resolution NOTIFY changed)
    Q_PROPERTY(QString fps READ fps NOTIFY changed)
    Q_PROPERTY(QString quality READ quality NOTIFY changed)
    // --profiles: the widths viewers may ask for ("full,640,320")
    Q_PROPERTY(QString profiles READ profiles NOTIFY changed)
    // --rotate, --flip, --crop ("" for none)
    Q_PROPERTY(QString rotate READ rotate NOTIFY changed)
    Q_PROPERTY(QString flip READ flip NOTIFY changed)
    Q_PROPERTY(QString crop READ crop NOTIFY changed)
    Q_PROPERTY(QString port READ port NOTIFY changed)
    Q_PROPERTY(QString password READ password NOTIFY changed)
    // The name viewers log in with (--user), for the hints beside the password.
    Q_PROPERTY(QString user READ user NOTIFY changed)
    // The screen's own rows: minutes before the controls lock again, the screen dims and goes
    // off, the hours it stays off.
    Q_PROPERTY(QString lockAfter READ lockAfter NOTIFY changed)
    Q_PROPERTY(QString screenDimAfter READ screenDimAfter NOTIFY changed)
    Q_PROPERTY(QString screenOffAfter READ screenOffAfter NOTIFY changed)
    Q_PROPERTY(QString screenSchedule READ screenSchedule NOTIFY changed)
    // --screen-rotation: how far the whole UI is turned.
    Q_PROPERTY(QString screenRotation READ screenRotation NOTIFY changed)
    // [{spec, name}]: the test pattern, then every camera QMediaDevices knows.
    Q_PROPERTY(QVariantList sources READ sources NOTIFY sourcesChanged)
    // [{name, source}]: the cameras running, in order (the first is the one /stream serves).
    Q_PROPERTY(QVariantList cameras READ cameras NOTIFY camerasChanged)

public:
    explicit KioskSettings(Pipeline *pipeline, QObject *parent = nullptr);

    QString source() const;
    QString resolution() const;
    QString fps() const;
    QString quality() const;
    QString profiles() const;
    QString rotate() const;
    QString flip() const;
    QString crop() const;
    QString port() const;
    QString password() const;
    QString user() const;
    QString lockAfter() const;
    QString screenDimAfter() const;
    QString screenOffAfter() const;
    QString screenSchedule() const;
    QString screenRotation() const;
    QVariantList sources() const { return m_sources; }
    QVariantList cameras() const;

    // The camera whose own fields (source, resolution, fps, quality, rotate, flip, crop) the
    // panel shows and sets: the screen's current camera (the first until told otherwise).
    void setCamera(Camera *camera);

    // Why `text` is not acceptable for `field` (source, resolution, fps, quality, profiles,
    // rotate, flip, crop, port, password, admin-pin, lock-after, screen-dim-after,
    // screen-off-after, screen-schedule, screen-rotation; camera-name: checkCameraName), or an
    // empty string when it is.
    Q_INVOKABLE QString check(const QString &field, const QString &text) const;
    // The values `field` takes, as its label shows them ("1–120"); empty when it has no range.
    Q_INVOKABLE QString range(const QString &field) const;
    // Checks every field given; if one is wrong nothing changes and the answer maps each wrong
    // field to its reason. Otherwise the changes take effect at once and are saved; the answer is
    // empty unless the server could not move to the new port (then {port: reason}).
    Q_INVOKABLE QVariantMap apply(const QVariantMap &values);

    // Cameras added, renamed and removed live (issue 19), and kept for the next start: the list,
    // each camera's source and the settings it has other than the first camera's. Each answers
    // "" or why the pipeline refused (a bad or taken name, a source another camera uses, too
    // many cameras, the last one), in which case nothing changed and nothing was saved. A new
    // camera starts with the first camera's settings (privacy off).
    Q_INVOKABLE QString addCamera(const QString &name, const QString &source);
    Q_INVOKABLE QString renameCamera(const QString &from, const QString &to);
    Q_INVOKABLE QString removeCamera(const QString &name);
    // Why `name` cannot be a new camera's name, "" when it can: for the field as it is typed.
    Q_INVOKABLE QString checkCameraName(const QString &name) const;

    // At start-up: saved settings onto `config`, except those the command line set (`given`
    // holds option names as QCommandLineParser::optionNames() reports them). The saved cameras
    // come back unless the command line or the config file names cameras (--camera, --source,
    // [camera NAME]).
    static void restore(PipelineConfig *config, const QStringList &given);

signals:
    void changed();
    void sourcesChanged();
    void camerasChanged();
    // The screen's own settings changed (operator PIN, locking, sleep, rotation).
    void kioskChanged(const KioskConfig &kiosk);

private:
    void refreshSources();
    // The cameras as they run now, into QSettings (saveCameras), or back (restoreCameras).
    void saveCameras();
    static void restoreCameras(PipelineConfig *config, const QStringList &given);
    // Saves the screen's own fields that differ and hands them on; true if any did.
    bool applyKiosk(const PipelineConfig &current, const PipelineConfig &wanted,
                    QSettings &settings);

    Camera *camera() const;
    // The pipeline's settings with the shown camera's own.
    PipelineConfig config() const;

    Pipeline *m_pipeline;
    QPointer<Camera> m_camera;
    QVariantList m_sources;
};
