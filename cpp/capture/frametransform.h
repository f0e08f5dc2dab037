#pragma once

#include "imagepool.h"
#include "rawframe.h"

#include <QRect>
#include <QSize>
#include <QString>

// How the picture is turned: the way the camera is mounted (--rotate, --flip, --crop).
// Order: the camera's picture is flipped, then rotated clockwise, then cropped; the crop is in
// the coordinates of the rotated picture, so that what a viewer sees is what is cropped (as
// jpegtran and TurboJPEG count it, and as the screen shows it).
struct FrameTransform
{
    enum class Flip { None, Horizontal, Vertical };
    int rotate = 0; // 0, 90, 180 or 270 degrees clockwise
    Flip flip = Flip::None;
    QRect crop; // null: the whole picture

    bool isIdentity() const { return rotate == 0 && flip == Flip::None && crop.isNull(); }
    bool transposes() const { return rotate == 90 || rotate == 270; }
    // The size of the picture after flip and rotation, before the crop.
    QSize rotatedSize(QSize captured) const
    {
        return transposes() ? captured.transposed() : captured;
    }

    // The one dihedral operation that flip then rotation amount to: a mirror (left-right, done
    // first) and a clockwise rotation. Vertical flip = mirror + 180°.
    struct Op
    {
        bool mirror = false;
        int rotate = 0;
    };
    Op op() const;

    static QString flipName(Flip flip);
    static QString cropText(const QRect &crop); // "WxH+X+Y", or "" for none
    // Each returns what is wrong (naming the option and what is allowed) or "".
    // `option` names what the message is about: --screen-rotation takes the same quarter turns.
    static QString parseRotate(const QString &text, int *out,
                               const QString &option = QStringLiteral("rotate"));
    static QString parseFlip(const QString &text, Flip *out);
    static QString parseCrop(const QString &text, QRect *out);
    // Whether a crop fits a picture of `captured` size once rotated; "" when it does.
    QString checkFits(QSize captured) const;

    friend bool operator==(const FrameTransform &a, const FrameTransform &b)
    {
        return a.rotate == b.rotate && a.flip == b.flip && a.crop == b.crop;
    }
    friend bool operator!=(const FrameTransform &a, const FrameTransform &b) { return !(a == b); }
};

// Applies a FrameTransform to raw frames, once per frame on the capture thread, before any
// consumer (encoder, preview, viewers, /snapshot) sees them:
// - camera JPEGs losslessly with TurboJPEG's tjTransform (DCT blocks moved, no decode), crops
//   snapped to the JPEG's MCU grid, a partial edge MCU trimmed;
// - I420 frames on the planes (no RGB), crops snapped to even coordinates for the chroma;
// - RGB images with QImage.
// Not thread-safe: one per capture thread.
class FrameTransformer
{
public:
    FrameTransformer();
    ~FrameTransformer();
    FrameTransformer(const FrameTransformer &) = delete;
    FrameTransformer &operator=(const FrameTransformer &) = delete;

    // What was actually applied to the last frame: the crop after clamping and snapping (in
    // rotated coordinates; null when none), and the sizes before and after.
    struct Applied
    {
        QSize captured;
        QSize output;
        QRect crop;
        friend bool operator==(const Applied &a, const Applied &b)
        {
            return a.captured == b.captured && a.output == b.output && a.crop == b.crop;
        }
    };

    // The frame turned. A JPEG that TurboJPEG cannot read comes back with no bytes (the encoder
    // counts it as corrupt); a frame is never returned with a size it does not have.
    RawFrame apply(const RawFrame &frame, const FrameTransform &transform);
    const Applied &applied() const { return m_applied; }

    // The crop for a picture of `rotated` size: clamped into it (kept at its size where it can
    // be, moved in, then shrunk), its corner snapped down onto a grid of `gridW` x `gridH` and
    // its far edges kept where asked. Null when the crop is null or covers the whole picture.
    static QRect fitCrop(const QRect &crop, QSize rotated, int gridW, int gridH);

private:
    RawFrame applyJpeg(const RawFrame &frame, const FrameTransform &transform);
    RawFrame applyI420(const RawFrame &frame, const FrameTransform &transform);
    RawFrame applyImage(const RawFrame &frame, const FrameTransform &transform);

    void *m_tj = nullptr; // tjhandle for tjTransform
    ImagePool m_pool;
    Applied m_applied;
};
