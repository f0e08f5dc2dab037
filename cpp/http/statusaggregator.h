#pragma once

#include "capture/framesource.h"
#include "encode/jpegencoder.h"
#include "profileset.h"
#include "serverstatus.h"

#include <QElapsedTimer>
#include <QList>
#include <QMutex>

#include <optional>

// The encoder's figures as the server shows them, handed over as values by whoever runs the
// encoder (StreamServer::setEncoderStats()), after each frame it handles.
struct EncoderStats
{
    JpegEncoder::Counters counters;
    int quality = 0;
    bool reencodeJpeg = false; // camera JPEGs decoded and encoded again, not passed through
};

// Builds one camera's status (/status, /metrics, the kiosk's figures) from what the parts
// report as values: each network thread's PoolStats (of which it takes its camera's viewers
// and totals), the camera's encoder's EncoderStats, its source's Info, privacy, the kiosk
// screen's state. Used on the StreamServer's thread, except setEncoderStats(): any thread.
class StatusAggregator
{
public:
    explicit StatusAggregator(int camera = 0);

    // A new set of network threads; their figures start again.
    void resetPools(int count);
    void setPoolStats(const PoolStats &stats);
    void setEncoderStats(const EncoderStats &stats);
    // True when the source went online or offline with this update.
    bool setSourceInfo(const FrameSource::Info &info)
    {
        const bool onlineChanged = info.online != m_sourceInfo.online;
        m_sourceInfo = info;
        return onlineChanged;
    }
    void setPrivacy(bool on) { m_privacy = on; }
    void setKioskState(const QString &screen, bool controlsLocked)
    {
        m_screen = screen;
        m_controlsLocked = controlsLocked;
    }

    // The output profiles as the ProfileSet has them now.
    void setProfiles(const QList<QSize> &allowed, int maxLive, const QList<ProfileSet::Live> &live)
    {
        m_profilesAllowed = allowed;
        m_maxProfiles = maxLive;
        m_liveProfiles = live;
    }

    // Everything as of now, with the rates over the last second.
    ServerStatus build(bool streaming, quint64 framesPublished);

private:
    void addSource(ServerStatus *status) const;
    void addPools(ServerStatus *status) const;
    void addEncoder(ServerStatus *status) const;
    void addRates(ServerStatus *status);
    // After addPools(): each profile's viewers are counted from the clients.
    void addProfiles(ServerStatus *status);

    int m_camera; // its id (CameraFeed)
    qint64 m_startedAtMs = 0;
    QList<PoolStats> m_poolStats;
    mutable QMutex m_encoderMutex; // setEncoderStats() runs on the encoder's thread
    std::optional<EncoderStats> m_encoder; // none: no encoder figures (a server on its own)
    FrameSource::Info m_sourceInfo;
    bool m_privacy = false;
    QString m_screen;
    bool m_controlsLocked = false;
    // Recent (ms, bytes, frames) samples for the one-second rates.
    struct Sample
    {
        qint64 ms;
        quint64 bytes;
        quint64 frames;
    };
    QList<Sample> m_samples;
    QList<QSize> m_profilesAllowed;
    int m_maxProfiles = 0;
    QList<ProfileSet::Live> m_liveProfiles;
    struct ProfileRate
    {
        qint64 ms = 0;
        quint64 encodes = 0;
        double fps = 0;
    };
    QHash<int, ProfileRate> m_profileRates; // by id
    QElapsedTimer m_clock;
};
