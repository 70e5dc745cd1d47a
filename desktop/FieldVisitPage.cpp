#include "desktop/FieldVisitPage.h"

#include "desktop/BapPrintout.h"
#include "desktop/BapReport.h"
#include "desktop/SignaturePad.h"
#include "desktop/UiText.h"
#include "model/Assets.h"
#include "model/AttachmentFiles.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/filedlg.h>
#include <wx/print.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace berkas::desktop {

namespace {

/// A pad with its caption and a button that clears it.
wxSizer* padColumn(wxWindow* parent, const wxString& caption, SignaturePad* pad)
{
    auto* column = new wxBoxSizer(wxVERTICAL);
    column->Add(new wxStaticText(parent, wxID_ANY, caption), 0, wxBOTTOM, parent->FromDIP(4));
    column->Add(pad, 1, wxEXPAND);
    auto* clear = new wxButton(parent, wxID_ANY, _("Clear"));
    clear->Bind(wxEVT_BUTTON, [pad](wxCommandEvent&) { pad->clear(); });
    column->Add(clear, 0, wxTOP, parent->FromDIP(4));
    return column;
}

} // namespace

FieldVisitPage::FieldVisitPage(wxWindow* parent, model::CaseStore& store) : wxPanel(parent), m_store(store)
{
    const int gap = FromDIP(8);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(this, wxID_ANY, _("Findings checklist of the service: tick what the site meets.")), 0,
           wxLEFT | wxRIGHT | wxTOP, gap);
    m_checklist = new wxCheckListBox(this, wxID_ANY);
    m_checklist->SetMinSize(FromDIP(wxSize(-1, 110)));
    s->Add(m_checklist, 1, wxEXPAND | wxALL, gap);
    s->Add(new wxStaticText(this, wxID_ANY, _("Findings in your own words:")), 0, wxLEFT | wxRIGHT, gap);
    m_notes = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(-1, 60)), wxTE_MULTILINE);
    s->Add(m_notes, 0, wxEXPAND | wxALL, gap);
    m_saveFindings = new wxButton(this, wxID_ANY, _("Save &findings"));
    m_saveFindings->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { saveFindings(); });
    s->Add(m_saveFindings, 0, wxLEFT | wxRIGHT, gap);

    // The visit's location from a photo that knows where it was taken.
    s->Add(new wxStaticText(this, wxID_ANY, _("Location of the visit from a photo:")), 0,
           wxLEFT | wxRIGHT | wxTOP, gap);
    auto* location = m_locationRow = new wxBoxSizer(wxHORIZONTAL);
    m_photoChoice = new wxChoice(this, wxID_ANY);
    location->Add(m_photoChoice, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, gap);
    m_usePhoto = new wxButton(this, wxID_ANY, _("Use this photo's &location"));
    m_usePhoto->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const int chosen = m_photoChoice->GetSelection();
        if (chosen != wxNOT_FOUND)
            usePhotoLocation(static_cast<std::size_t>(chosen));
    });
    location->Add(m_usePhoto, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(location, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, gap);
    m_locationNote = new wxStaticText(this, wxID_ANY, "");
    m_locationNote->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
    s->Add(m_locationNote, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, gap);

    auto* pads = new wxBoxSizer(wxHORIZONTAL);
    m_applicant = new SignaturePad(this);
    m_verifier = new SignaturePad(this);
    pads->Add(padColumn(this, _("Signature of the applicant"), m_applicant), 1, wxEXPAND | wxRIGHT, gap);
    pads->Add(padColumn(this, _("Signature of the verifier"), m_verifier), 1, wxEXPAND);
    s->Add(pads, 0, wxEXPAND | wxALL, gap);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_saveSignatures = new wxButton(this, wxID_ANY, _("Save &signatures"));
    m_saveSignatures->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { saveSignatures(); });
    buttons->Add(m_saveSignatures, 0, wxRIGHT, gap);
    m_report = new wxButton(this, wxID_ANY, _("Inspection &report (PDF)..."));
    m_report->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { chooseReportFile(); });
    buttons->Add(m_report, 0, wxRIGHT, gap);
    m_print = new wxButton(this, wxID_ANY, _("&Print report..."));
    m_print->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { printReport(true); });
    buttons->Add(m_print, 0);
    s->Add(buttons, 0, wxLEFT | wxRIGHT | wxBOTTOM, gap);
    SetSizer(s);
    // Official letters are on A4; the print dialog may change it.
    m_printData.SetPaperId(wxPAPER_A4);
}

void FieldVisitPage::load(const std::string& taskId)
{
    // The editor shows its record again after every write (a save under
    // Details, a move): what the verifier has ticked, written or signed here
    // and not saved yet stays; only the location is read again.
    if (!taskId.empty() && taskId == m_taskId)
    {
        loadPhotos();
        return;
    }
    m_taskId = taskId;
    m_checklist->Clear();
    m_notes->Clear();
    m_applicant->clear();
    m_verifier->clear();
    const bool stored = !m_taskId.empty();
    for (wxWindow* w : {static_cast<wxWindow*>(m_saveFindings), static_cast<wxWindow*>(m_saveSignatures),
                        static_cast<wxWindow*>(m_report), static_cast<wxWindow*>(m_print)})
        w->Enable(stored);
    loadPhotos();
    if (!stored)
        return;
    const model::Record task = m_store.get(m_taskId);
    const model::Findings findings = model::parseFindings(task.value(model::field::kFindings));
    std::string serviceCode;
    if (const auto app = m_store.find(task.value(model::field::kApplicationId)))
        serviceCode = app->value(model::field::kServiceCode);
    // The service's items in catalog order, ticked as the findings say;
    // items the findings hold that the catalog no longer lists stay too.
    std::vector<model::FindingsItem> items;
    for (const auto& item : model::referenceFindingsChecklist(serviceCode))
        items.push_back({item, false});
    for (const auto& held : findings.items)
    {
        auto it = std::find_if(items.begin(), items.end(), [&](const auto& i) { return i.item == held.item; });
        if (it == items.end())
            items.push_back(held);
        else
            it->met = held.met;
    }
    for (const auto& item : items)
    {
        const int i = m_checklist->Append(wxs(item.item));
        m_checklist->Check(static_cast<unsigned>(i), item.met);
    }
    m_notes->SetValue(wxs(findings.notes));
}

bool FieldVisitPage::saveFindings()
{
    if (m_taskId.empty())
        return false;
    model::Findings f;
    for (unsigned i = 0; i < m_checklist->GetCount(); ++i)
        f.items.push_back({m_checklist->GetString(i).utf8_str().data(), m_checklist->IsChecked(i)});
    f.notes = m_notes->GetValue().utf8_str().data();
    try
    {
        m_store.update(m_taskId, {{model::field::kFindings, model::formatFindings(f)}});
    }
    catch (const Error& e)
    {
        if (onError)
            onError(errorText(e));
        return false;
    }
    if (onWritten)
        onWritten();
    if (onDone)
        onDone(_("Findings saved. They wait to be sent to the central office."));
    return true;
}

void FieldVisitPage::loadPhotos()
{
    m_photos = m_taskId.empty() ? std::vector<model::PhotoLocation>() : model::photoLocations(m_store, m_taskId);
    m_photoChoice->Clear();
    for (const auto& p : m_photos)
        m_photoChoice->Append(p.takenAt.empty()
                                  ? wxString::Format(_("%s: %s, %s"), wxs(p.name), wxs(p.latitude), wxs(p.longitude))
                                  : wxString::Format(_("%s, taken %s: %s, %s"), wxs(p.name), displayDate(p.takenAt),
                                                     wxs(p.latitude), wxs(p.longitude)));
    if (!m_photos.empty())
        m_photoChoice->SetSelection(0);
    m_photoChoice->Enable(!m_photos.empty());
    m_usePhoto->Enable(!m_photos.empty());
    GetSizer()->Show(m_locationRow, !m_photos.empty()); // nothing to offer: only the line saying so

    wxString note;
    if (m_taskId.empty())
        note = _("Save the task first.");
    else if (m_photos.empty())
        note = _("No photo of this task has a location; attach one taken with the camera's location on.");
    if (!m_taskId.empty())
    {
        const model::Record task = m_store.get(m_taskId);
        const std::string lat = task.value(model::field::kLatitude);
        const std::string lon = task.value(model::field::kLongitude);
        if (!note.empty())
            note += "\n";
        note += lat.empty() || lon.empty()
                    ? _("The task has no coordinates yet.")
                    : wxString::Format(_("The task's coordinates now: %s, %s."), wxs(lat), wxs(lon));
    }
    m_locationNote->SetLabel(note);
    Layout();
}

bool FieldVisitPage::usePhotoLocation(std::size_t index)
{
    if (m_taskId.empty() || index >= m_photos.size())
        return false;
    const model::PhotoLocation photo = m_photos[index]; // a copy: loadPhotos() below reads them again
    model::FieldMap changes;
    try
    {
        // The store's write rules check the coordinates as if typed: a place
        // outside Indonesia is refused with the field and the rule, and
        // nothing is written.
        changes = model::visitLocationChanges(m_store.get(m_taskId), photo);
        m_store.update(m_taskId, changes);
    }
    catch (const Error& e)
    {
        if (onError)
            onError(wxString::Format(_("The location of %s cannot be used: %s"), wxs(photo.name), errorText(e)));
        return false;
    }
    loadPhotos();
    if (onWritten)
        onWritten();
    if (onDone)
        onDone(changes.count(model::field::kVisitedAt)
                   ? wxString::Format(_("The visit's location and time are now those of %s."), wxs(photo.name))
                   : wxString::Format(_("The visit's location is now that of %s."), wxs(photo.name)));
    return true;
}

bool FieldVisitPage::saveSignatures()
{
    if (m_taskId.empty())
        return false;
    int saved = 0;
    // The attachment takes the file's name: write each under its own name
    // in a folder of its own, then let the store keep it by SHA-256.
    const std::string folder = Poco::TemporaryFile::tempName();
    try
    {
        Poco::File(folder).createDirectories();
        for (const auto& [pad, name] : {std::make_pair(m_verifier, "signature-verifier.png"),
                                        std::make_pair(m_applicant, "signature-applicant.png")})
        {
            if (pad->empty())
                continue;
            const std::string path = Poco::Path(folder).append(name).toString();
            if (!pad->savePng(path))
                throw Error(ErrorCode::Storage, std::string(name) + ": cannot write the image");
            model::addAttachment(m_store, m_taskId, path);
            pad->clear(); // stored: a second click does not attach it again
            ++saved;
        }
        Poco::File(folder).remove(true);
    }
    catch (const std::exception& e)
    {
        try
        {
            Poco::File(folder).remove(true);
        }
        catch (...)
        {
        }
        if (onError)
            onError(errorText(e));
        return false;
    }
    if (saved == 0)
    {
        if (onError)
            onError(_("Nothing to save: draw the signature in its box first."));
        return false;
    }
    if (onWritten)
        onWritten();
    if (onDone)
        onDone(wxString::Format(wxPLURAL("%d signature saved as an attachment of the task.",
                                         "%d signatures saved as attachments of the task.", saved),
                                saved));
    return true;
}

bool FieldVisitPage::writeReport(const std::string& pdfPath)
{
    if (m_taskId.empty())
        return false;
    try
    {
        const BapSummary s = writeBapReport(m_store, m_taskId, letterhead(), pdfPath);
        if (onDone)
            onDone(wxString::Format(_("Inspection report %s written: %d pages."), wxs(s.number), s.pages));
    }
    catch (const std::exception& e)
    {
        if (onError)
            onError(errorText(e));
        return false;
    }
    return true;
}

bool FieldVisitPage::printReport(bool prompt)
{
    if (m_taskId.empty())
        return false;
    std::unique_ptr<BapReport> report;
    try
    {
        report = std::make_unique<BapReport>(m_store, m_taskId, letterhead());
    }
    catch (const std::exception& e)
    {
        if (onError)
            onError(errorText(e));
        return false;
    }
    const BapSummary summary = report->summary();
    BapPrintout printout(std::move(report));
    wxPrintDialogData dialogData(m_printData);
    wxPrinter printer(&dialogData);
    if (!printer.Print(this, &printout, prompt))
    {
        if (wxPrinter::GetLastError() != wxPRINTER_CANCELLED && onError)
            onError(wxString::Format(_("Inspection report %s could not be printed."), wxs(summary.number)));
        return false;
    }
    m_printData = printer.GetPrintDialogData().GetPrintData();
    if (onDone)
        onDone(wxString::Format(wxPLURAL("Inspection report %s sent to the printer: %d page.",
                                         "Inspection report %s sent to the printer: %d pages.", summary.pages),
                                wxs(summary.number), summary.pages));
    return true;
}

Letterhead FieldVisitPage::letterhead()
{
    Letterhead head;
    head.officeName = m_store.setting("report.office-name", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu");
    head.officeAddress = m_store.setting("report.office-address");
    head.place = m_store.setting("report.place");
    return head;
}

void FieldVisitPage::chooseReportFile()
{
    wxFileDialog dialog(this, _("Save the inspection report"), "", "berita-acara.pdf", _("PDF files (*.pdf)|*.pdf"),
                        wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (dialog.ShowModal() == wxID_OK)
        writeReport(dialog.GetPath().utf8_str().data());
}

} // namespace berkas::desktop
