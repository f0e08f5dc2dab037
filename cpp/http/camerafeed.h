#pragma once

#include "framedemand.h"
#include "profileset.h"

#include <memory>

// One camera as the network threads and its encoders share it (issue 19): who needs its JPEGs
// and which sizes its viewers get. Owned by shared pointer: a connection keeps the feed of the
// camera it watches, so a camera removed while its viewers are still being closed (on their
// threads) never leaves them a dangling demand or profile set. Thread-safe, as its parts are.
struct CameraFeed
{
    explicit CameraFeed(int cameraId)
        : id(cameraId)
    { }
    CameraFeed(const CameraFeed &) = delete;
    CameraFeed &operator=(const CameraFeed &) = delete;

    // The server's number for the camera, never reused: frames and viewers are matched by it
    // (a name may change while viewers watch).
    const int id;
    FrameDemand demand;
    ProfileSet profiles;
};
