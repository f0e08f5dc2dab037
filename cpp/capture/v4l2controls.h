#pragma once

#include "cameracontrols.h"

// The V4L2 side of camera controls, on an open device: what the capture source's thread calls.
namespace V4l2Controls {
// Every control the device has (VIDIOC_QUERY_EXT_CTRL with V4L2_CTRL_FLAG_NEXT_CTRL, menus by
// VIDIOC_QUERYMENU), integer, boolean, menu and button types, with their values in force.
CameraControls read(int fd);
// Asks for V4L2_EVENT_CTRL on every control (value and flags), so that a change made by
// another program, or an inactive flag following its auto switch, shows up as POLLPRI.
bool subscribe(int fd, const CameraControls &controls);
// Takes every pending control event and updates `controls`; true when something changed.
bool takeEvents(int fd, CameraControls *controls);
// Sets `values` (already checked with Controls::refusal()) in one VIDIOC_S_EXT_CTRLS, then
// reads every control back into *controls: a device may clamp or refuse. Returns what went
// wrong, naming the control; empty when the device took every value.
QString apply(int fd, const ControlValues &values, CameraControls *controls);
} // namespace V4l2Controls
