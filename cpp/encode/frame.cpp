#include "frame.h"

Frame::Frame(quint64 sequence, qint64 captureTimeUs, QByteArray jpeg, QSize size, bool live,
             int profile)
    : d(std::make_shared<const Data>(
        Data{sequence, captureTimeUs, std::move(jpeg), size, live, profile}))
{ }

const QByteArray &Frame::jpeg() const
{
    static const QByteArray empty;
    return d ? d->jpeg : empty;
}
