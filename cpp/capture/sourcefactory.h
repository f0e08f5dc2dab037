#pragma once

#include <QSize>
#include <QString>

class FrameSource;

// Builds the source a --source value names: "test" for the pattern, a camera index,
// /dev/videoN, a file path or a URL.
FrameSource *createFrameSource(const QString &spec, QSize size, double fps);
