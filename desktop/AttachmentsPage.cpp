#include "desktop/AttachmentsPage.h"

#include "desktop/UiText.h"
#include "model/AttachmentFiles.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <Poco/NumberFormatter.h>

#include <wx/button.h>
#include <wx/imaglist.h>
#include <wx/mstream.h>
#include <wx/file.h>
#include <wx/filedlg.h>
#include <wx/filename.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/utils.h>

#include <cstdlib>

namespace berkas::desktop {

namespace {

/// Photos larger than this get no thumbnail (it would be read whole).
constexpr long kMaxThumbnailSource = 20 * 1000 * 1000;

} // namespace

AttachmentsPage::AttachmentsPage(wxWindow* parent, model::CaseStore& store) : wxPanel(parent), m_store(store)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_list = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_list->AppendColumn(_("File"), wxLIST_FORMAT_LEFT, FromDIP(300));
    m_list->AppendColumn(_("Size"), wxLIST_FORMAT_RIGHT, FromDIP(90));
    m_list->AppendColumn(_("Added"), wxLIST_FORMAT_LEFT, FromDIP(140));
    m_list->AppendColumn(_("Location"), wxLIST_FORMAT_LEFT, FromDIP(170));
    m_list->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, FromDIP(160));
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
    m_here.clear();
    m_thumbnail.clear();
    if (m_recordId.empty())
        return;
    const int side = FromDIP(48);
    auto* images = new wxImageList(side, side, true);
    wxImage blank(side, side);
    blank.SetRGB(wxRect(0, 0, side, side), 236, 236, 236);
    images->Add(wxBitmap(blank)); // 0: no thumbnail
    const std::string dataDir = model::dataDirOf(m_store);
    model::ListQuery q;
    q.kind = model::kind::kAttachment;
    q.where = {{model::field::kParentId, m_recordId}};
    for (const auto& r : m_store.list(q))
    {
        const std::string sha = r.value(model::field::kSha256);
        const bool here = model::hasAttachmentFile(dataDir, sha);
        const long size = std::atol(r.value(model::field::kSize).c_str());
        int image = 0;
        if (here && model::isImageMime(r.value(model::field::kMime)) && size <= kMaxThumbnailSource)
        {
            try
            {
                const std::string bytes = model::readAttachment(m_store, sha);
                wxMemoryInputStream in(bytes.data(), bytes.size());
                wxImage photo;
                if (photo.LoadFile(in, wxBITMAP_TYPE_ANY) && photo.IsOk())
                {
                    const double scale = std::min(static_cast<double>(side) / photo.GetWidth(),
                                                  static_cast<double>(side) / photo.GetHeight());
                    photo.Rescale(std::max(1, static_cast<int>(photo.GetWidth() * scale)),
                                  std::max(1, static_cast<int>(photo.GetHeight() * scale)), wxIMAGE_QUALITY_HIGH);
                    photo.Resize(wxSize(side, side),
                                 wxPoint((side - photo.GetWidth()) / 2, (side - photo.GetHeight()) / 2), 236, 236, 236);
                    image = images->Add(wxBitmap(photo));
                }
            }
            catch (const Error&)
            {
            }
        }
        const long i = m_list->InsertItem(m_list->GetItemCount(), wxs(r.value(model::field::kName)), image);
        m_list->SetItem(i, 1, wxFileName::GetHumanReadableSize(wxULongLong(static_cast<unsigned long>(size))));
        m_list->SetItem(i, 2, displayDate(r.value(model::field::kCreatedAt)));
        const std::string lat = r.value(model::field::kLatitude);
        const std::string lon = r.value(model::field::kLongitude);
        m_list->SetItem(i, 3, lat.empty() ? wxString() : wxs(lat + ", " + lon));
        m_list->SetItem(i, 4, here ? _("Here") : _("On its way (next sync)"));
        m_attachmentIds.push_back(r.id);
        m_here.push_back(here);
        m_thumbnail.push_back(image > 0);
    }
    m_list->AssignImageList(images, wxIMAGE_LIST_SMALL);
    m_thumbnails = images;
}

bool AttachmentsPage::hasFile(long index) const
{
    return index >= 0 && static_cast<std::size_t>(index) < m_here.size() && m_here[static_cast<std::size_t>(index)];
}

bool AttachmentsPage::hasThumbnail(long index) const
{
    return index >= 0 && static_cast<std::size_t>(index) < m_thumbnail.size() &&
           m_thumbnail[static_cast<std::size_t>(index)];
}

bool AttachmentsPage::attachFile(const std::string& path)
{
    if (m_recordId.empty())
        return false;
    model::AttachResult result;
    try
    {
        model::AttachOptions options;
        options.maxFileSize = std::atoll(m_store.setting("max_file_size", "0").c_str());
        options.requireImage = model::nameClaimsImage(path);
        result = model::attachFile(m_store, m_recordId, path, options);
    }
    catch (const Error& e)
    {
        if (onError)
            onError(wxs(e.what()));
        return false;
    }
    const wxString name = wxFileName(wxs(path)).GetFullName();
    if (onError && result.exif.broken)
        onError(wxString::Format(_("%s is attached, but its EXIF data cannot be read: no location or time."), name));
    else if (onError && result.exif.outsideIndonesia)
        onError(wxString::Format(_("%s is attached without a location: where it was taken (%s, %s) is outside "
                                   "Indonesia."),
                                 name, wxs(Poco::NumberFormatter::format(*result.exif.rawLatitude, 6)),
                                 wxs(Poco::NumberFormatter::format(*result.exif.rawLongitude, 6))));
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
    if (!hasFile(sel))
    {
        if (onError)
            onError(wxString::Format(_("%s has not arrived on this laptop yet; it comes with a later sync."),
                                     wxs(r.value(model::field::kName))));
        return;
    }
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
        if (m_tempDir.empty())
        {
            std::string pattern = utf8(wxFileName::GetTempDir()) + "/berkas-XXXXXX";
            if (!mkdtemp(pattern.data())) // mode 0700: only this user reads the plain copies
                return {};
            m_tempDir = pattern;
        }
        const wxString name = wxFileName(wxs(r.value(model::field::kName))).GetFullName();
        const wxString path = wxFileName(wxs(m_tempDir), name.empty() ? wxString("lampiran") : name).GetFullPath();
        model::extractAttachment(m_store, r.id, utf8(path)); // streamed, checked by its SHA-256
        return utf8(path);
    }
    catch (const Error&)
    {
        return {};
    }
}

} // namespace berkas::desktop
