#pragma once

#include <QtGlobal>

// Paces a viewer that asked for ?fps=N: which offered frames it gets. Anchored to the schedule,
// not to each frame's arrival, so the average rate is the one asked for; a viewer far behind
// the schedule restarts from now.
struct FramePacer
{
    double maxFps = 0; // 0: every frame

    void start(double fps)
    {
        maxFps = fps;
        m_nextDueUs = 0;
    }
    // False when the viewer asked for fewer frames and this one is to be skipped (not a drop).
    bool due(qint64 nowUs)
    {
        if (maxFps <= 0)
            return true;
        const qint64 intervalUs = qint64(1e6 / maxFps);
        if (nowUs < m_nextDueUs)
            return false;
        m_nextDueUs = (m_nextDueUs == 0 || nowUs - m_nextDueUs > intervalUs)
            ? nowUs + intervalUs
            : m_nextDueUs + intervalUs;
        return true;
    }

private:
    qint64 m_nextDueUs = 0;
};
