#pragma once

#include <memory>
#include <string>

typedef struct _cairo cairo_t; // as <cairo.h> declares it; includers need not find cairo

namespace berkas::model {
class CaseStore;
}

namespace berkas::desktop {

/// The letterhead of the office that issues a report.
struct Letterhead
{
    std::string officeName;    ///< "Dinas Penanaman Modal dan PTSP Kota Bekasi"
    std::string officeAddress; ///< "Jl. Ir. H. Juanda No. 100, Bekasi"
    std::string place;         ///< the city on the signature line; empty: the application's regency
};

/// What a rendered report holds, for the caller to tell the user.
struct BapSummary
{
    std::string number; ///< the report's number
    int pages = 0;
    int photos = 0;
    int signatures = 0;
};

/// The inspection report (Berita Acara Pemeriksaan Lapangan) of one task,
/// in Indonesian, laid out as an official letter on A4: the letterhead (kop
/// surat), the title and the report's number (BAP/<application number>/<last
/// six of the task id>), the day and place, the application, the findings
/// checklist and the verifier's words (model::parseFindings), the result,
/// the visit time and coordinates, the photos (the task's JPEG and PNG
/// attachments, embedded as they are) and the two signatures: the
/// attachments named `signature-verifier.png` and `signature-applicant.png`.
///
/// Everything is read from the store when it is made; drawPage() is then the
/// one drawing of the report, used by the PDF file (writeBapReport) and by
/// the printer (BapPrintout.h) alike. Text is measured on a PDF surface of
/// its own, so the pages break at the same places whatever the target.
/// Not thread-safe; use it on one thread.
class BapReport
{
public:
    static constexpr double kPageWidth = 595.28; ///< A4, in points
    static constexpr double kPageHeight = 841.89;

    /// Throws Error(NotFound) for an unknown task, Error(InvalidData) for a
    /// record that is not a task, and Error(Storage) when an attached image
    /// cannot be read (naming the attachment).
    BapReport(model::CaseStore& store, const std::string& taskId, const Letterhead& letterhead);
    ~BapReport();
    BapReport(const BapReport&) = delete;
    BapReport& operator=(const BapReport&) = delete;

    /// The number, the page count, and the photos and signatures it shows.
    const BapSummary& summary() const;
    int pageCount() const { return summary().pages; }

    /// Draws page @p page (0 for the first, below pageCount()) on @p cr, in
    /// points from the top left corner of an A4 sheet; the caller scales @p cr
    /// for another unit or paper and ends the page (cairo_show_page). Leaves
    /// @p cr's state as it found it.
    void drawPage(cairo_t* cr, int page) const;

private:
    struct Content;
    std::unique_ptr<Content> m_content;
};

/// Writes the inspection report of task @p taskId (see BapReport) as a PDF
/// to @p pdfPath (cairo's PDF surface), each page drawn by
/// BapReport::drawPage. The file is written to @p pdfPath + ".partial" and
/// renamed, so it is whole or not there. Throws what BapReport throws, and
/// Error(Storage) when the file cannot be written.
BapSummary writeBapReport(model::CaseStore& store, const std::string& taskId, const Letterhead& letterhead,
                          const std::string& pdfPath);

} // namespace berkas::desktop
