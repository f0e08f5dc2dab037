#pragma once

#include "camerafeed.h"
#include "capture/cameracontrols.h"
#include "httprequest.h"
#include "serverstatus.h"

#include <QByteArray>
#include <QList>

#include <memory>

// One camera as a request sees it: where its frames and demand are, whether it streams, its
// controls and figures.
struct CameraRoute
{
    std::shared_ptr<CameraFeed> feed;
    QByteArray name;
    bool running = true; // its own switch (the server's global one is apart)
    std::shared_ptr<const CameraControls> controls; // null: none published yet
    std::shared_ptr<const ServerStatus> status; // its /status
    int id() const { return feed->id; }
};

// Every camera of the server, in order, as one immutable value: the StreamServer makes a new
// one whenever something in it changes (a camera added, removed, renamed or switched, new
// controls, new figures a few times a second) and hands it to every network thread, which
// reads it without locks. The first camera is the one the plain routes (/stream, /snapshot,
// /status, /controls, the ?action= URLs) serve; /camera/NAME/... serves any.
class CameraRoutes
{
public:
    QList<CameraRoute> cameras;

    const CameraRoute *byId(int id) const;
    const CameraRoute *byName(const QByteArray &name) const;
    // "main, door": what a 404 for an unknown camera lists.
    QByteArray names() const;
    // Every camera's figures, in order (/metrics): made once with the routes (finish()), so
    // that a request, or a waiting snapshot at every frame, only shares it.
    QList<std::shared_ptr<const ServerStatus>> statuses;
    // After `cameras` is filled.
    void finish();

    enum class Match {
        Plain, // not under /camera/: the first camera (null when there is none)
        Camera, // /camera/NAME/...: *request now has the path below it
        Unknown, // /camera/NAME/... with no such camera, or /camera/ alone
        NeedsSlash, // /camera/NAME: the page's relative URLs need /camera/NAME/
    };
    // Which camera `request` is for; a request under /camera/NAME/ is rewritten in place to the
    // path below it ("/camera/door/stream" becomes "/stream"), so that every route is written
    // once, for whichever camera.
    Match resolve(HttpRequest *request, const CameraRoute **route) const;
};
