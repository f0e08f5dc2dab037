#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMetaType>
#include <QString>

// What the server knows about one connected viewer (or pending request).
struct ClientStats
{
    quint64 id = 0;
    int camera = 0; // the id of the camera it watches (CameraFeed)
    QString address;
    quint16 port = 0;
    qint64 connectedSinceMs = 0; // Unix ms
    bool streaming = false;
    double fps = 0; // frames sent per second, over the last second or so
    double maxFps = 0; // the viewer's ?fps= cap, 0 for none
    QString viewer; // the viewer's ?viewer= label, empty for none
    int profileId = 0; // the output profile it gets (ProfileSet), 0: the full size
    QString profile; // its size, "640x360" ("0x0" before the source's size was known)
    quint64 framesSent = 0;
    quint64 framesDropped = 0; // skipped because the viewer was still busy with an older one
    quint64 bytesSent = 0;
    quint64 framesAtLastSample = 0; // for updateFps()

    // Updates `fps` from the frames sent since the last call, `seconds` ago; called a few times
    // a second by the pool, smoothed over about a second so the figure does not flicker.
    void updateFps(double seconds);
    // These figures plus the connection's current state, as /status shows them.
    ClientStats withState(bool streaming, double maxFps) const
    {
        ClientStats s = *this;
        s.streaming = streaming;
        s.maxFps = maxFps;
        return s;
    }
};

// What one network thread has sent for one camera, including viewers that have left.
struct CameraTotals
{
    quint64 bytesSent = 0;
    quint64 framesSent = 0;
    quint64 framesDropped = 0;
    void add(const ClientStats &client)
    {
        bytesSent += client.bytesSent;
        framesSent += client.framesSent;
        framesDropped += client.framesDropped;
    }
};

// One network thread's figures, sent a few times a second to the StreamServer.
struct PoolStats
{
    int pool = 0;
    QList<ClientStats> clients;
    QHash<int, CameraTotals> byCamera; // by camera id
    quint64 framesSkippedTotal = 0; // never offered to its viewers: the thread was behind
    quint64 connectionsTotal = 0;
};

// One camera's state as /status reports it (with the server-wide figures: connections, the
// screen, the global streaming switch); built a few times a second, immutable.
struct ServerStatus
{
    QString camera; // its name
    bool streaming = true; // the server's global switch
    bool cameraStreaming = true; // its own switch
    // Every camera in order, a line each (this one too), for pages that show them all.
    struct CameraSummary
    {
        QString name;
        bool online = false;
        bool privacy = false;
        bool streaming = true; // the global switch and its own
        int viewers = 0;
        double fps = 0;
        int width = 0;
        int height = 0;
        QString error;
    };
    QList<CameraSummary> cameras;
    struct Source
    {
        QString description;
        bool online = false;
        int width = 0;
        int height = 0;
        double fps = 0;
        QString format; // what the camera sends (MJPEG, YUYV...)
        QString error; // why it is offline
        int requestedWidth = 0;
        int requestedHeight = 0;
        double requestedFps = 0;
        // width/height above are what viewers get; this is what the source sends.
        int capturedWidth = 0;
        int capturedHeight = 0;
        int rotate = 0;
        QString flip;
        QString crop; // as asked ("WxH+X+Y", "" for none)
        QString cropApplied; // as clamped to the frame and snapped to its grid
    } source;
    bool privacy = false;
    // The kiosk's screen: "on", "dimmed", "off", or "" without one (headless); whether its
    // controls ask for the operator PIN.
    QString screen;
    bool controlsLocked = false;
    QString encoder; // "passthrough" (camera JPEGs as they are) or "cpu"
    quint64 framesPassedThrough = 0;
    quint64 framesCorrupt = 0;
    quint64 framesSameDropped = 0;
    double outputFps = 0;
    double bytesPerSecond = 0;
    quint64 bytesTotal = 0;
    quint64 framesCaptured = 0;
    quint64 framesEncoded = 0;
    quint64 framesReplaced = 0;
    quint64 framesIdle = 0; // of framesReplaced, those nobody needed (the encoder was idle)
    bool encoderIdle = false; // nobody needs a JPEG now: none is made
    quint64 framesPublished = 0;
    quint64 framesSent = 0; // to viewers, all of them together, including those gone
    quint64 framesDropped = 0; // skipped for busy viewers, likewise
    quint64 framesSkipped = 0; // skipped by network threads that were behind, summed over them
    double encodeMs = 0;
    int quality = 0;
    qint64 startedAtMs = 0;
    quint64 connectionsTotal = 0;
    int connections = 0; // open connections, viewers or not
    QList<ClientStats> clients; // viewers of /stream
    // Output profiles (ProfileSet): the sizes one may ask for, how many may be live at once,
    // and the live ones (the full size first).
    struct Profile
    {
        int id = 0;
        int width = 0;
        int height = 0;
        int quality = -1; // -1: the camera's JPEGs passed through
        int viewers = 0;
        double fps = 0; // frames published per second
        quint64 encodes = 0;
        bool live = true; // false: asked for before, nobody holds it now (for /metrics)
        QByteArray sizeText() const;
    };
    QList<QPair<int, int>> profilesAllowed;
    int maxProfiles = 0;
    QList<Profile> profiles;

    QByteArray toJson() const;
};

Q_DECLARE_METATYPE(PoolStats)
