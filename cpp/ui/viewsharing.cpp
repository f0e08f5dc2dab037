#include "viewsharing.h"

#include "kiosksettings.h"
#include "zoomwindow.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSharing, "kiosk.sharing")

namespace {
const QString kCrop = QStringLiteral("crop");
}

ViewSharing::ViewSharing(KioskSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    connect(m_settings, &KioskSettings::changed, this, [this] {
        if (m_shared && !m_applying && m_settings->crop() != m_sharedCrop)
            end();
    });
}

QRect ViewSharing::shownPart(const FrameSource::Info &info)
{
    if (!info.cropApplied.isNull())
        return info.cropApplied;
    const QRect asked = info.transform.crop;
    if (!asked.isNull() && info.size == asked.size())
        return asked;
    return QRect(QPoint(), info.size);
}

QString ViewSharing::share(const QRectF &viewed)
{
    const QRect shown = shownPart(m_source);
    if (!m_source.online || shown.isEmpty())
        return tr("There is no camera picture to share.");
    if (!viewed.isValid())
        return tr("Nothing is zoomed into.");
    const QString before = m_settings->crop();
    const QString crop = FrameTransform::cropText(ZoomWindow::cropOf(viewed, shown));
    if (const QString error = applyCrop(crop); !error.isEmpty())
        return error;
    qCInfo(lcSharing).noquote() << "view shared from the screen: crop" << crop << "(was"
                                << (before.isEmpty() ? QStringLiteral("none") : before) + ")";
    // Shared again on top of a share: Reset still goes back to what was there first.
    if (!m_shared)
        m_cropBefore = before;
    m_shared = true;
    m_sharedCrop = m_settings->crop();
    emit sharedChanged();
    return {};
}

QString ViewSharing::reset()
{
    if (!m_shared)
        return {};
    if (const QString error = applyCrop(m_cropBefore); !error.isEmpty())
        return error;
    qCInfo(lcSharing).noquote() << "shared view reset: crop"
                                << (m_cropBefore.isEmpty() ? QStringLiteral("none") : m_cropBefore);
    end();
    return {};
}

QString ViewSharing::applyCrop(const QString &crop)
{
    m_applying = true;
    const QVariantMap errors = m_settings->apply({{kCrop, crop}});
    m_applying = false;
    return errors.isEmpty() ? QString() : errors.first().toString();
}

void ViewSharing::end()
{
    m_shared = false;
    m_sharedCrop.clear();
    m_cropBefore.clear();
    emit sharedChanged();
}
