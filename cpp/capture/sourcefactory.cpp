#include "sourcefactory.h"

#include "opencvsource.h"
#include "testpatternsource.h"

FrameSource *createFrameSource(const QString &spec, QSize size, double fps)
{
    if (spec.isEmpty() || spec == QLatin1String("test"))
        return new TestPatternSource(size, fps);
    return new OpenCvSource(spec, size, fps);
}
