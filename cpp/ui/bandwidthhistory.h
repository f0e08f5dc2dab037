#pragma once

#include <QList>
#include <QObject>
#include <QQmlEngine>

// The last `capacity` samples of one figure (bytes/s or frames/s), oldest first, in a
// fixed-size ring: appending never allocates once full. The graphs draw it.
class BandwidthHistory : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
    // How far apart the samples are, for the graph's time axis.
    Q_PROPERTY(int intervalMs READ intervalMs WRITE setIntervalMs NOTIFY capacityChanged)
    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(double latest READ latest NOTIFY changed)
    Q_PROPERTY(double peak READ peak NOTIFY changed)
    // A round number at or above the peak: the top of the graph's axis.
    Q_PROPERTY(double scaleMaximum READ scaleMaximum NOTIFY changed)
    // The least scaleMaximum, so an idle graph keeps a sensible axis (e.g. 1000 B/s, 10 fps).
    Q_PROPERTY(double floor READ floor WRITE setFloor NOTIFY changed)

public:
    explicit BandwidthHistory(QObject *parent = nullptr);

    int capacity() const { return int(m_ring.size()); }
    void setCapacity(int capacity);
    int intervalMs() const { return m_intervalMs; }
    void setIntervalMs(int ms);
    int count() const { return m_count; }
    double latest() const;
    double peak() const;
    double scaleMaximum() const;
    double floor() const { return m_floor; }
    void setFloor(double floor);

    Q_INVOKABLE void append(double value);
    Q_INVOKABLE void clear();
    // Sample i, 0 being the oldest kept.
    Q_INVOKABLE double at(int i) const;

signals:
    void capacityChanged();
    void changed();

private:
    QList<double> m_ring;
    int m_head = 0; // where the next sample goes
    int m_count = 0;
    int m_intervalMs = 250;
    double m_floor = 1;
};
