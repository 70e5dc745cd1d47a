#pragma once

#include "model/CaseStore.h"
#include "model/VisitLocation.h"

#include <wx/cmndata.h>
#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxButton;
class wxCheckListBox;
class wxChoice;
class wxSizer;
class wxStaticText;
class wxTextCtrl;

namespace berkas::desktop {

class SignaturePad;
struct Letterhead;

/// The Visit tab of a task in the record editor: the findings checklist of
/// the application's service (model::referenceFindingsChecklist) with the
/// verifier's words, kept in the task's `findings` (model::formatFindings);
/// the two signature pads, each saved as a PNG attachment of the task
/// (`signature-verifier.png`, `signature-applicant.png`, stored by SHA-256
/// and encrypted with the data folder); the visit's location taken from one
/// of the task's photos whose EXIF gave coordinates (model::photoLocations),
/// written with the store's rules like any write; and the inspection report,
/// saved as PDF (BapReport.h) or printed through the system print dialog
/// (BapPrintout.h), one drawing for both. Writes go to the store at once, on
/// the UI thread, and touch only the fields they name: what is typed
/// elsewhere in the editor and not saved yet stays as it is.
class FieldVisitPage : public wxPanel
{
public:
    FieldVisitPage(wxWindow* parent, model::CaseStore& store);

    /// Called with the text to show when a write or the report fails.
    std::function<void(const wxString&)> onError;
    /// Called with the text to show after a write or the report succeeded.
    std::function<void(const wxString&)> onDone;
    /// Called after something was written to the store.
    std::function<void()> onWritten;

    /// Shows task @p taskId ("" for one not stored yet: nothing to edit). The
    /// task already shown keeps the ticks, words and signatures on screen.
    void load(const std::string& taskId);

    /// Writes the ticks and the words as the task's findings. False when refused.
    bool saveFindings();
    /// Stores each pad that holds a signature as an attachment. False when one failed.
    bool saveSignatures();
    /// Writes the inspection report to @p pdfPath. False when it failed.
    bool writeReport(const std::string& pdfPath);
    /// Prints the inspection report: the system print dialog first when
    /// @p prompt, else straight to the printer printData() names. False when
    /// the report cannot be made or printing failed (onError says why) or the
    /// person cancelled the dialog (nothing said).
    bool printReport(bool prompt = true);
    /// The printer and settings the next print starts from: A4 at first,
    /// then what the print dialog was last left at.
    wxPrintData& printData() { return m_printData; }

    /// Reads the task's photos with coordinates again (after a file was
    /// attached) and shows the task's location as stored.
    void loadPhotos();
    /// The photos offered as the visit's location, in the choice's order.
    const std::vector<model::PhotoLocation>& photoLocations() const { return m_photos; }
    /// Writes photo @p index's coordinates (and its time, when the task has
    /// no visit time yet) as the task's, as "Use this photo's location"
    /// does for the chosen one. False when refused (onError shows the rule,
    /// e.g. coordinates outside Indonesia) or there is no such photo.
    bool usePhotoLocation(std::size_t index);

    wxCheckListBox* checklist() const { return m_checklist; }
    wxTextCtrl* notes() const { return m_notes; }
    SignaturePad* verifierPad() const { return m_verifier; }
    SignaturePad* applicantPad() const { return m_applicant; }
    wxChoice* photoChoice() const { return m_photoChoice; }
    wxButton* usePhotoButton() const { return m_usePhoto; }
    /// The muted line under the location row: the task's coordinates, or
    /// that no photo has a location.
    wxStaticText* locationNote() const { return m_locationNote; }

private:
    void chooseReportFile();
    /// The letterhead as `berkas report bap` last kept it (desktop/Commands.cpp).
    Letterhead letterhead();

    model::CaseStore& m_store;
    std::string m_taskId;
    wxCheckListBox* m_checklist = nullptr;
    wxTextCtrl* m_notes = nullptr;
    SignaturePad* m_verifier = nullptr;
    SignaturePad* m_applicant = nullptr;
    wxButton* m_saveFindings = nullptr;
    wxButton* m_saveSignatures = nullptr;
    wxButton* m_report = nullptr;
    wxButton* m_print = nullptr;
    wxSizer* m_locationRow = nullptr; ///< the choice of photos and its button, hidden when none has a location
    wxChoice* m_photoChoice = nullptr;
    wxButton* m_usePhoto = nullptr;
    wxStaticText* m_locationNote = nullptr;
    std::vector<model::PhotoLocation> m_photos;
    wxPrintData m_printData;
};

} // namespace berkas::desktop
