import QtQuick
import QtTest
import MjpegKiosk
import KioskTest

// TestCase itself is invisible: the components under test go into this item.
Item {
    id: root

    width: 500
    height: 300

    TestCase {
        id: testCase

        name: "RateGraph"
        when: windowShown

        Component {
            id: historyComponent

            BandwidthHistory {}
        }
        Component {
            id: graphComponent

            RateGraph {
                width: root.width
                height: 200
                history: Kiosk.bandwidthHistory
                title: "Outgoing bandwidth"
            }
        }

        function cleanup() {
            Net.closeViewers()
        }

        function test_historyIsAFixedRing() {
            const history = createTemporaryObject(historyComponent, root, {capacity: 4})
            compare(history.count, 0)
            for (let v = 1; v <= 6; ++v)
                history.append(v * 1000)
            compare(history.count, 4)
            compare(history.at(0), 3000) // the oldest kept
            compare(history.at(3), 6000)
            compare(history.latest, 6000)
            compare(history.peak, 6000)
            compare(history.scaleMaximum, 10000) // the next round number
            history.append(1234)
            compare(history.scaleMaximum, 10000)
            history.clear()
            compare(history.count, 0)
            compare(history.scaleMaximum, 1) // its floor
        }

        function test_humanUnits() {
            compare(Kiosk.formatRate(0), "0 B/s")
            compare(Kiosk.formatRate(850), "850 B/s")
            compare(Kiosk.formatRate(1500), "1.5 kB/s")
            compare(Kiosk.formatRate(12400), "12.4 kB/s")
            compare(Kiosk.formatRate(3120000), "3.12 MB/s")
            compare(Kiosk.formatRate(1000000), "1 MB/s")
            compare(Kiosk.formatDuration(65), "1 min 05 s")
        }

        function test_graphGetsLiveData() {
            const graph = createTemporaryObject(graphComponent, root)
            const history = Kiosk.bandwidthHistory
            // The server's figures arrive a few times a second, viewers or not.
            const before = history.count
            tryVerify(() => history.count > before, 3000)

            Net.openViewers(Kiosk.server.port, 2)
            tryVerify(() => history.latest > 1000, 10000, "bandwidth reaches the graph")
            const current = findChild(graph, "currentValue")
            verify(/ [kM]B\/s$/.test(current.text), current.text)
            const top = findChild(graph, "axisMaximum")
            verify(/^\d+(\.\d+)? [kM]B\/s$/.test(top.text), top.text)
            verify(history.scaleMaximum >= history.peak)
            verify(Kiosk.frameRateHistory.latest > 0)
        }
    }
}
