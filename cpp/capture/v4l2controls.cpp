#include "v4l2controls.h"
#include "xioctl.h"

#include <cerrno>
#include <cstring>

#include <linux/videodev2.h>
#include <sys/ioctl.h>

namespace {
bool typeOf(quint32 v4l2Type, CameraControl::Type *type)
{
    switch (v4l2Type) {
    case V4L2_CTRL_TYPE_INTEGER:
    case V4L2_CTRL_TYPE_INTEGER64:
        *type = CameraControl::Type::Integer;
        return true;
    case V4L2_CTRL_TYPE_BOOLEAN:
        *type = CameraControl::Type::Boolean;
        return true;
    case V4L2_CTRL_TYPE_MENU:
    case V4L2_CTRL_TYPE_INTEGER_MENU:
        *type = CameraControl::Type::Menu;
        return true;
    case V4L2_CTRL_TYPE_BUTTON:
        *type = CameraControl::Type::Button;
        return true;
    default:
        return false; // class headers, strings, compound controls: nothing to offer
    }
}

QList<QPair<qint64, QString>> menuOf(int fd, const v4l2_query_ext_ctrl &q)
{
    QList<QPair<qint64, QString>> items;
    for (qint64 i = q.minimum; i <= q.maximum; ++i) {
        v4l2_querymenu m{};
        m.id = q.id;
        m.index = quint32(i);
        if (xioctl(fd, VIDIOC_QUERYMENU, &m) != 0)
            continue; // drivers leave gaps
        const QString name = q.type == V4L2_CTRL_TYPE_INTEGER_MENU
            ? QString::number(m.value)
            : QString::fromUtf8(reinterpret_cast<const char *>(m.name));
        items.append({i, name});
    }
    return items;
}

bool currentValue(int fd, const v4l2_query_ext_ctrl &q, qint64 *value)
{
    v4l2_ext_control c{};
    c.id = q.id;
    v4l2_ext_controls cs{};
    cs.which = V4L2_CTRL_WHICH_CUR_VAL;
    cs.count = 1;
    cs.controls = &c;
    if (xioctl(fd, VIDIOC_G_EXT_CTRLS, &cs) != 0)
        return false;
    // The union: a 32-bit type's value is in `value` (its upper half would make -30 read as
    // 4294967266), only a 64-bit one's in `value64`.
    *value = q.type == V4L2_CTRL_TYPE_INTEGER64 ? c.value64 : c.value;
    return true;
}

void readFlags(quint32 flags, CameraControl *control)
{
    control->inactive = flags & V4L2_CTRL_FLAG_INACTIVE;
    control->readOnly = flags & (V4L2_CTRL_FLAG_READ_ONLY | V4L2_CTRL_FLAG_GRABBED);
}
} // namespace

namespace V4l2Controls {

CameraControls read(int fd)
{
    CameraControls result;
    v4l2_query_ext_ctrl q{};
    q.id = V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND;
    while (xioctl(fd, VIDIOC_QUERY_EXT_CTRL, &q) == 0) {
        CameraControl c;
        if (!(q.flags & V4L2_CTRL_FLAG_DISABLED) && typeOf(q.type, &c.type)) {
            c.label = QString::fromUtf8(q.name);
            c.name = CameraControl::nameFor(c.label);
            c.id = q.id;
            c.minimum = q.minimum;
            c.maximum = q.maximum;
            c.step = qMax<qint64>(1, qint64(q.step));
            c.defaultValue = q.default_value;
            readFlags(q.flags, &c);
            if (c.type == CameraControl::Type::Menu)
                c.menu = menuOf(fd, q);
            if (c.type == CameraControl::Type::Button || (q.flags & V4L2_CTRL_FLAG_WRITE_ONLY)
                || !currentValue(fd, q, &c.value))
                c.value = c.defaultValue;
            result.controls.append(c);
        }
        q.id |= V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND;
    }
    result.available = !result.controls.isEmpty();
    if (!result.available)
        result.reason = QStringLiteral("the camera offers no controls");
    return result;
}

bool subscribe(int fd, const CameraControls &controls)
{
    bool all = true;
    for (const CameraControl &c : controls.controls) {
        v4l2_event_subscription sub{};
        sub.type = V4L2_EVENT_CTRL;
        sub.id = c.id;
        // Our own changes come back too: the value in force is then what the device says.
        sub.flags = V4L2_EVENT_SUB_FL_SEND_INITIAL | V4L2_EVENT_SUB_FL_ALLOW_FEEDBACK;
        all = xioctl(fd, VIDIOC_SUBSCRIBE_EVENT, &sub) == 0 && all;
    }
    return all;
}

bool takeEvents(int fd, CameraControls *controls)
{
    bool changed = false;
    v4l2_event ev{};
    while (xioctl(fd, VIDIOC_DQEVENT, &ev) == 0) {
        if (ev.type != V4L2_EVENT_CTRL)
            continue;
        for (CameraControl &c : controls->controls) {
            if (c.id != ev.id)
                continue;
            const bool wasInactive = c.inactive;
            const bool wasReadOnly = c.readOnly;
            const qint64 old = c.value;
            if (ev.u.ctrl.changes & V4L2_EVENT_CTRL_CH_FLAGS)
                readFlags(ev.u.ctrl.flags, &c);
            if ((ev.u.ctrl.changes & V4L2_EVENT_CTRL_CH_VALUE)
                && c.type != CameraControl::Type::Button)
                c.value = ev.u.ctrl.type == V4L2_CTRL_TYPE_INTEGER64 ? ev.u.ctrl.value64
                                                                     : ev.u.ctrl.value;
            changed = changed || old != c.value || wasInactive != c.inactive
                || wasReadOnly != c.readOnly;
        }
    }
    return changed;
}

QString apply(int fd, const ControlValues &values, CameraControls *controls)
{
    QList<v4l2_ext_control> list;
    for (const auto &[name, value] : values) {
        const CameraControl *c = controls->find(name);
        if (!c)
            return QStringLiteral("unknown control %1").arg(name);
        v4l2_ext_control e{};
        e.id = c->id;
        e.value64 = value; // the union: value for 32-bit types, value64 for 64-bit ones
        if (c->type != CameraControl::Type::Integer || c->maximum <= INT32_MAX)
            e.value = qint32(value);
        list.append(e);
    }
    v4l2_ext_controls cs{};
    cs.which = V4L2_CTRL_WHICH_CUR_VAL;
    cs.count = quint32(list.size());
    cs.controls = list.data();
    QString error;
    if (xioctl(fd, VIDIOC_S_EXT_CTRLS, &cs) != 0) {
        const int err = errno;
        // error_idx == count: the request as a whole failed before any control was tried.
        const QString which = cs.error_idx < quint32(values.size())
            ? values.at(qsizetype(cs.error_idx)).first
            : QStringLiteral("the controls");
        error = QStringLiteral("the camera refused %1: %2")
                    .arg(which, QString::fromLocal8Bit(strerror(err)));
    }
    // Read everything back: values in force, flags that followed an auto switch.
    CameraControls now = read(fd);
    if (now.available) {
        now.camera = controls->camera;
        *controls = now;
    }
    return error;
}

} // namespace V4l2Controls
