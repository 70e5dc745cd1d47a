#include "desktop/BapPrintout.h"

#include "desktop/UiText.h"

#include <wx/dc.h>

#include <cairo.h>

#include <algorithm>

namespace berkas::desktop {

BapPrintout::BapPrintout(std::unique_ptr<BapReport> report)
    : wxPrintout("Berita Acara Pemeriksaan " + wxs(report->summary().number)), m_report(std::move(report))
{
}

bool BapPrintout::OnPrintPage(int page)
{
    wxDC* dc = GetDC();
    auto* cr = dc ? static_cast<cairo_t*>(dc->GetHandle()) : nullptr;
    if (!cr || !HasPage(page))
        return false;
    // The DC's unit is a printer dot from the corner of the paper: fit the
    // report's A4 points onto the paper, centred across it.
    int width = 0;
    int height = 0;
    dc->GetSize(&width, &height);
    const double scale = std::min(width / BapReport::kPageWidth, height / BapReport::kPageHeight);
    cairo_save(cr);
    cairo_translate(cr, (width - BapReport::kPageWidth * scale) / 2, 0);
    cairo_scale(cr, scale, scale);
    m_report->drawPage(cr, page - 1);
    cairo_restore(cr);
    return true;
}

bool BapPrintout::HasPage(int page)
{
    return page >= 1 && page <= m_report->pageCount();
}

void BapPrintout::GetPageInfo(int* minPage, int* maxPage, int* pageFrom, int* pageTo)
{
    *minPage = 1;
    *maxPage = m_report->pageCount();
    *pageFrom = 1;
    *pageTo = m_report->pageCount();
}

} // namespace berkas::desktop
