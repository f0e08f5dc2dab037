#include "cameraroutes.h"

const CameraRoute *CameraRoutes::byId(int id) const
{
    for (const CameraRoute &route : cameras) {
        if (route.id() == id)
            return &route;
    }
    return nullptr;
}

const CameraRoute *CameraRoutes::byName(const QByteArray &name) const
{
    for (const CameraRoute &route : cameras) {
        if (route.name == name)
            return &route;
    }
    return nullptr;
}

QByteArray CameraRoutes::names() const
{
    QByteArrayList list;
    for (const CameraRoute &route : cameras)
        list << route.name;
    return list.join(", ");
}

void CameraRoutes::finish()
{
    statuses.clear();
    for (const CameraRoute &route : cameras) {
        if (route.status)
            statuses << route.status;
    }
}

CameraRoutes::Match CameraRoutes::resolve(HttpRequest *request, const CameraRoute **route) const
{
    static const QByteArray prefix = QByteArrayLiteral("/camera/");
    *route = nullptr;
    if (!request->path.startsWith(prefix) && request->path != "/camera") {
        *route = cameras.isEmpty() ? nullptr : &cameras.first();
        return Match::Plain;
    }
    const qsizetype nameEnd = request->path.indexOf('/', prefix.size());
    const QByteArray name
        = request->path.mid(prefix.size(), nameEnd < 0 ? -1 : nameEnd - prefix.size());
    *route = name.isEmpty() ? nullptr : byName(name);
    if (!*route)
        return Match::Unknown;
    if (nameEnd < 0)
        return Match::NeedsSlash;
    request->path = request->path.mid(nameEnd);
    return Match::Camera;
}
