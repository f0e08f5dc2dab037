import QtQuick
import MjpegKiosk

// Every camera at once (Kiosk.cameras), in as many columns as give the pictures the most room
// on this screen: 2x2 and 3x3 in a landscape picture area, a column or two in a tall one. A tap
// on a tile chooses that camera.
Item {
    id: grid

    readonly property int count: Kiosk.cameras.count
    readonly property int columns: bestColumns(count, width, height)

    signal cameraChosen(int index)

    // The column count whose cells show a Theme.tileAspect picture largest; of equals, fewer
    // columns (the cells then are wider, as the pictures are).
    function bestColumns(n, w, h) {
        let best = 1
        let bestArea = -1
        for (let c = 1; c <= n; ++c) {
            const r = Math.ceil(n / c)
            const cw = (w - (c - 1) * Theme.tileGap) / c
            const ch = (h - (r - 1) * Theme.tileGap) / r
            const pw = Math.min(cw, ch * Theme.tileAspect)
            const area = pw * (pw / Theme.tileAspect)
            if (area > bestArea + 0.5) {
                best = c
                bestArea = area
            }
        }
        return best
    }

    readonly property int rows: columns > 0 ? Math.ceil(count / columns) : 0
    readonly property real cellWidth: (width - (columns - 1) * Theme.tileGap) / Math.max(1, columns)
    readonly property real cellHeight: (height - (rows - 1) * Theme.tileGap) / Math.max(1, rows)

    // Cells of one size, the block centred. (A positioner, not a GridLayout: Qt 6.4's layout
    // engine can crash laying out a tile the Repeater has just removed.)
    Grid {
        anchors.centerIn: parent
        columns: grid.columns
        spacing: Theme.tileGap

        Repeater {
            objectName: "tileRepeater"
            // One camera has no grid: no tile exists then (the screen is the single picture's).
            model: grid.count > 1 ? Kiosk.cameras : null
            // Here rather than in the delegate, which sees no ids of this file (qmllint).
            onItemAdded: (index, item) => {
                item.tapped.connect(grid.cameraChosen)
                item.width = Qt.binding(() => grid.cellWidth)
                item.height = Qt.binding(() => grid.cellHeight)
            }

            CameraTile {
                objectName: "cameraTile" + index
            }
        }
    }
}
