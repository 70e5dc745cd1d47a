#include "desktop/AttachmentsPage.h"

#include "desktop/UiText.h"
#include "model/AttachmentFiles.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <wx/button.h>
#include <wx/file.h>
#include <wx/filedlg.h>
#include <wx/filename.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/utils.h>

#include <cstdlib>

namespace berkas::desktop {

AttachmentsPage::AttachmentsPage(wxWindow* parent, model::CaseStore& store) : wxPanel(parent), m_store(store)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_list = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_list->AppendColumn(_("File"), wxLIST_FORMAT_LEFT, FromDIP(300));
    m_list->AppendColumn(_("Size"), wxLIST_FORMAT_RIGHT, FromDIP(90));
    m_list->AppendColumn(_("Added"), wxLIST_FORMAT_LEFT, FromDIP(140));
    m_list->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) { openSelected(); });
    s->Add(m_list, 1, wxEXPAND | wxALL, FromDIP(8));
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    auto* add = new wxButton(this, wxID_ANY, _("Add file..."));
    add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        wxFileDialog dlg(wxGetTopLevelParent(this), _("Attach a file"), "", "", _("All files (*)|*"),
                         wxFD_OPEN | wxFD_FILE_MUST_EXIST);
        if (dlg.ShowModal() == wxID_OK)
            attachFile(utf8(dlg.GetPath()));
    });
    auto* open = new wxButton(this, wxID_ANY, _("Open"));
    open->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openSelected(); });
    row->Add(add, 0, wxRIGHT, FromDIP(6));
    row->Add(open, 0);
    s->Add(row, 0, wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));
    SetSizer(s);
}

AttachmentsPage::~AttachmentsPage()
{
    // Plain copies of attachments do not outlive the editor that opened them
    // (the program showing one may still have it open; it keeps its handle).
    if (!m_tempDir.empty())
        wxFileName::Rmdir(wxs(m_tempDir), wxPATH_RMDIR_RECURSIVE);
}

void AttachmentsPage::load(const std::string& recordId)
{
    m_recordId = recordId;
    m_list->DeleteAllItems();
    m_attachmentIds.clear();
    if (m_recordId.empty())
        return;
    model::ListQuery q;
    q.kind = model::kind::kAttachment;
    q.where = {{model::field::kParentId, m_recordId}};
    for (const auto& r : m_store.list(q))
    {
        const long i = m_list->InsertItem(m_list->GetItemCount(), wxs(r.value(model::field::kName)));
        m_list->SetItem(i, 1, wxFileName::GetHumanReadableSize(wxULongLong(std::stoull("0" + r.value(model::field::kSize)))));
        m_list->SetItem(i, 2, displayDate(r.value(model::field::kCreatedAt)));
        m_attachmentIds.push_back(r.id);
    }
}

bool AttachmentsPage::attachFile(const std::string& path)
{
    if (m_recordId.empty())
        return false;
    try
    {
        model::addAttachment(m_store, m_recordId, path);
    }
    catch (const Error& e)
    {
        if (onError)
            onError(wxs(e.what()));
        return false;
    }
    load(m_recordId);
    if (onWritten)
        onWritten();
    return true;
}

void AttachmentsPage::openSelected()
{
    const long sel = m_list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (sel < 0 || static_cast<std::size_t>(sel) >= m_attachmentIds.size())
        return;
    const model::Record r = m_store.get(m_attachmentIds[static_cast<std::size_t>(sel)]);
    const std::string copy = attachmentCopy(sel);
    if ((copy.empty() || !wxLaunchDefaultApplication(wxs(copy))) && onError)
        onError(wxString::Format(_("Cannot open %s."), wxs(r.value(model::field::kName))));
}

std::string AttachmentsPage::attachmentCopy(long index)
{
    if (index < 0 || static_cast<std::size_t>(index) >= m_attachmentIds.size())
        return {};
    try
    {
        const model::Record r = m_store.get(m_attachmentIds[static_cast<std::size_t>(index)]);
        // The stored file is named by its hash and, on an encrypted laptop,
        // sealed with the data key: write the plain bytes to a private
        // temporary folder under the file's own name, so the desktop picks
        // the right program.
        const std::string bytes = model::readAttachment(m_store, r.value(model::field::kSha256));
        if (m_tempDir.empty())
        {
            std::string pattern = utf8(wxFileName::GetTempDir()) + "/berkas-XXXXXX";
            if (!mkdtemp(pattern.data())) // mode 0700: only this user reads the plain copies
                return {};
            m_tempDir = pattern;
        }
        const wxString name = wxFileName(wxs(r.value(model::field::kName))).GetFullName();
        const wxString path = wxFileName(wxs(m_tempDir), name.empty() ? wxString("lampiran") : name).GetFullPath();
        wxFile out;
        if (!out.Create(path, true, wxS_IRUSR | wxS_IWUSR) || !out.Write(bytes.data(), bytes.size()))
            return {};
        return utf8(path);
    }
    catch (const Error&)
    {
        return {};
    }
}

} // namespace berkas::desktop
