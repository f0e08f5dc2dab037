#pragma once

#include <QImage>
#include <QSize>
#include <QString>

// The picture viewers get instead of the camera (no signal, privacy): dark, with a headline
// and the current time, so a viewer can tell the stream itself is still alive.
QImage renderPlaceholder(const QSize &size, const QString &headline, const QString &detail);
