#pragma once

#include "desktop/BapReport.h"

#include <wx/print.h>

#include <memory>

namespace berkas::desktop {

/// The inspection report for wxPrinter: each page is BapReport::drawPage on
/// the printer's cairo context, so the printed report is the PDF's drawing,
/// not a second layout. wxGTK prints through GtkPrint, whose printer DC
/// hands out its cairo_t (wxDC::GetHandle); the A4 page is scaled to fit the
/// paper the printer has. On a DC without a cairo context (not GtkPrint's)
/// OnPrintPage draws nothing and returns false. What is printed is the
/// task as stored: findings and signatures not saved yet are not on it.
class BapPrintout : public wxPrintout
{
public:
    explicit BapPrintout(std::unique_ptr<BapReport> report);

    bool OnPrintPage(int page) override;
    bool HasPage(int page) override;
    void GetPageInfo(int* minPage, int* maxPage, int* pageFrom, int* pageTo) override;

private:
    std::unique_ptr<BapReport> m_report;
};

} // namespace berkas::desktop
