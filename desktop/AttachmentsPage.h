#pragma once

#include "model/CaseStore.h"

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxListCtrl;

namespace berkas::desktop {

/// The Attachments tab of the record editor: the record's files (name, size,
/// when added), Add file... to attach one and Open to show one with the
/// desktop's program. Opening writes a plain copy (decrypted on an encrypted
/// laptop) into a private temporary folder, removed with the page.
class AttachmentsPage : public wxPanel
{
public:
    AttachmentsPage(wxWindow* parent, model::CaseStore& store);
    ~AttachmentsPage() override;

    /// Called with the text to show when a file cannot be attached or opened.
    std::function<void(const wxString&)> onError;
    /// Called after a file was attached.
    std::function<void()> onWritten;

    /// Lists the attachments of @p recordId ("" for one not stored yet: none).
    void load(const std::string& recordId);
    /// Adds an attachment from a file, as the Add button does after its file
    /// dialog; false for a record not stored yet or a file that cannot be read.
    bool attachFile(const std::string& path);
    /// Writes the plain bytes of attachment @p index to the private temporary
    /// folder under the attachment's name, as Open does before handing it to
    /// the desktop; the path, or "" when it cannot be read.
    std::string attachmentCopy(long index);

private:
    void openSelected();

    model::CaseStore& m_store;
    std::string m_recordId;
    std::vector<std::string> m_attachmentIds;
    std::string m_tempDir; ///< private folder of opened attachments' plain copies
    wxListCtrl* m_list = nullptr;
};

} // namespace berkas::desktop
