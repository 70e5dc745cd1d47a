#pragma once

#include "model/CaseStore.h"

#include <wx/scrolwin.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

class wxStaticText;

namespace berkas::desktop {

/// The Details page of the record editor: one control a field of the kind's
/// schema (a choice for allowed values, kecamatan, kelurahan and services, a
/// check box for yes/no, a text box otherwise; plain text for what the store
/// or the central office fills in), each with its problem line under it. The
/// kelurahan choice lists the villages of the kecamatan chosen. The form holds
/// no record of its own: the editor shows one in it and asks what differs.
class RecordForm : public wxScrolledWindow
{
public:
    /// @p stored: the record exists, so create-only fields are read-only.
    RecordForm(wxWindow* parent, model::CaseStore& store, const std::string& kind, bool stored);

    /// Called after a person changed a field (not while the form is filled).
    std::function<void()> onEdited;

    /// Shows a stored record's values; create-only fields become read-only.
    /// Forgets which fields were touched.
    void show(const model::Record& record);
    /// Shows a stored record again after a write, with @p typed (values a
    /// person typed and has not saved, as changes() gave them) over it; those
    /// fields stay touched, so they stay unsaved changes.
    void showKeeping(const model::Record& record, const model::FieldMap& typed);
    /// Shows a new record: @p defaults, empty elsewhere. Forgets which fields
    /// were touched.
    void showNew(const model::FieldMap& defaults);

    /// The editable fields whose value differs from @p record's (an unticked
    /// box counts as no value).
    model::FieldMap changes(const model::Record& record) const;

    /// Shows under each field its first problem in @p report, as "Check: ..."
    /// when it is a warning; only for fields a person touched unless @p all.
    /// Returns the fields that show a problem.
    std::set<std::string> showProblems(const model::ValidationReport& report, bool all);

    /// Types @p text into a field's control as a person would (fires its events).
    void typeInto(const std::string& field, const std::string& text);
    /// The problem shown under a field ("" when none).
    wxString fieldError(const std::string& field) const;

private:
    struct FieldControl
    {
        const model::FieldDef* def = nullptr;
        wxWindow* control = nullptr;
        wxStaticText* error = nullptr;
        std::vector<std::string> codes; ///< for choices: the value of each item
        bool readOnly = false;
    };

    void fill(const model::Record& record, bool stored);
    void fillControl(FieldControl& fc, const std::string& value);
    std::string controlValue(const FieldControl& fc) const;
    void fillKelurahan(const std::string& kecamatan, const std::string& selected);
    void edited(const std::string& field);

    std::vector<FieldControl> m_fields;
    std::set<std::string> m_touched;
    bool m_loading = false;
};

} // namespace berkas::desktop
