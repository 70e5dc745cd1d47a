#pragma once

#include "model/CaseStore.h"

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxImageList;
class wxListCtrl;

namespace berkas::desktop {

/// The Attachments tab of the record editor: the record's files (a thumbnail
/// for photos that are here, name, size, when added, where a photo was taken,
/// and whether the file is here or still on its way from the central
/// office), Add file... to attach one and Open to show one with the desktop's
/// program. Opening writes a plain copy (decrypted on an encrypted laptop,
/// streamed and checked) into a private temporary folder, removed with the
/// page. A file still on its way is listed with its record; it arrives with
/// a later sync.
class AttachmentsPage : public wxPanel
{
public:
    AttachmentsPage(wxWindow* parent, model::CaseStore& store);
    ~AttachmentsPage() override;

    /// Called with the text to show when a file cannot be attached or opened,
    /// or was attached with a warning (broken EXIF, a place outside Indonesia).
    std::function<void(const wxString&)> onError;
    /// Called after a file was attached.
    std::function<void()> onWritten;

    /// Lists the attachments of @p recordId ("" for one not stored yet: none).
    void load(const std::string& recordId);
    /// Adds an attachment from a file, as the Add button does after its file
    /// dialog, with the office's checks (model::attachFile: its size limit, a
    /// file named as an image must be one); false for a record not stored yet
    /// or a file refused or unreadable (onError says why).
    bool attachFile(const std::string& path);
    /// True when the file of attachment @p index is on this laptop; false
    /// while it is still on its way.
    bool hasFile(long index) const;
    /// True when row @p index shows a thumbnail of the photo.
    bool hasThumbnail(long index) const;
    /// Writes the plain bytes of attachment @p index to the private temporary
    /// folder under the attachment's name, as Open does before handing it to
    /// the desktop; the path, or "" when it cannot be read.
    std::string attachmentCopy(long index);

private:
    void openSelected();

    model::CaseStore& m_store;
    std::string m_recordId;
    std::vector<std::string> m_attachmentIds;
    std::vector<bool> m_here;
    std::vector<bool> m_thumbnail;
    wxImageList* m_thumbnails = nullptr; ///< owned by m_list
    std::string m_tempDir; ///< private folder of opened attachments' plain copies
    wxListCtrl* m_list = nullptr;
};

} // namespace berkas::desktop
