#include "frame.h"

Frame::Frame(quint64 sequence, qint64 captureTimeUs, QByteArray jpeg, QImage preview, QSize size,
             bool live)
    : d(std::make_shared<const Data>(
        Data{sequence, captureTimeUs, std::move(jpeg), std::move(preview), size, live}))
{ }

const QByteArray &Frame::jpeg() const
{
    static const QByteArray empty;
    return d ? d->jpeg : empty;
}

const QImage &Frame::preview() const
{
    static const QImage none;
    return d ? d->preview : none;
}
