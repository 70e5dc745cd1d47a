#pragma once

#include <string>

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

/// Writes the inspection report (Berita Acara Pemeriksaan Lapangan) of task
/// @p taskId as a PDF to @p pdfPath, in Indonesian, laid out as an official
/// letter (cairo's PDF surface, A4): the letterhead (kop surat), the title
/// and the report's number (BAP/<application number>/<last six of the task
/// id>), the day and place, the application, the findings checklist and
/// the verifier's words (model::parseFindings), the result, the visit time
/// and coordinates, the photos (the task's JPEG and PNG attachments, embedded
/// as they are) and the two signatures: the attachments named
/// `signature-verifier.png` and `signature-applicant.png`.
///
/// The file is written to @p pdfPath + ".partial" and renamed, so it is
/// whole or not there. Throws Error(NotFound) for an unknown task,
/// Error(InvalidData) for a record that is not a task, and Error(Storage)
/// when the file cannot be written or an attached image cannot be read
/// (naming the attachment).
BapSummary writeBapReport(model::CaseStore& store, const std::string& taskId, const Letterhead& letterhead,
                          const std::string& pdfPath);

} // namespace berkas::desktop
