#include "desktop/RecordForm.h"

#include "desktop/UiText.h"
#include "model/Regions.h"
#include "model/Schema.h"
#include "model/ServiceCatalog.h"

#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <algorithm>

namespace berkas::desktop {

namespace {

bool shownInForm(const model::FieldDef& f)
{
    return f.name != model::field::kStatus && f.name != model::field::kParentId;
}

} // namespace

RecordForm::RecordForm(wxWindow* parent, model::CaseStore& store, const std::string& kind, bool stored)
    : wxScrolledWindow(parent, wxID_ANY)
{
    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(10, 4)));
    grid->AddGrowableCol(1, 1);
    for (const auto& def : model::requireKind(kind).fields)
    {
        if (!shownInForm(def))
            continue;
        FieldControl fc;
        fc.def = &def;
        // Timestamps are stamped by the store (submitted, visited, responded).
        // A checklist override is given with the move it allows
        // (RecordEditor::move), not typed here.
        fc.readOnly = def.type == model::FieldType::Timestamp || def.access == model::FieldAccess::Computed ||
                      def.name == model::field::kChecklistOverride ||
                      def.access == model::FieldAccess::Server ||
                      (def.access == model::FieldAccess::CreateOnly && stored);
        wxString label = fieldLabel(kind, def.name);
        if (def.required && !fc.readOnly)
            label += " *";
        grid->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_TOP | wxTOP, FromDIP(fc.readOnly ? 2 : 6));

        auto* cell = new wxBoxSizer(wxVERTICAL);
        const std::string name = def.name;
        if (fc.readOnly)
        {
            // Plain text, not a box: a box (even a read-only one) invites
            // typing, and these values come from the central office or the rules.
            fc.control = new wxStaticText(this, wxID_ANY, "");
        }
        else if (def.type == model::FieldType::Enum || def.type == model::FieldType::Kecamatan ||
                 def.type == model::FieldType::Kelurahan || def.name == model::field::kServiceCode)
        {
            auto* c = new wxChoice(this, wxID_ANY);
            c->Append("");
            fc.codes.push_back("");
            if (def.type == model::FieldType::Enum)
                for (const auto& v : def.allowed)
                {
                    c->Append(valueLabel(def.name, v));
                    fc.codes.push_back(v);
                }
            else if (def.type == model::FieldType::Kecamatan)
                for (const auto& [code, n] : model::Regions::standard().districtsOf(store.setting("regency", "32.75")))
                {
                    c->Append(wxs(n + " (" + code + ")"));
                    fc.codes.push_back(code);
                }
            else if (def.name == model::field::kServiceCode)
            {
                for (const auto& service : model::serviceNames(store))
                {
                    c->Append(wxs(service.code + " — " + service.name));
                    fc.codes.push_back(service.code);
                }
            }
            c->Bind(wxEVT_CHOICE, [this, name](wxCommandEvent&) { edited(name); });
            fc.control = c;
        }
        else if (def.type == model::FieldType::Bool)
        {
            auto* c = new wxCheckBox(this, wxID_ANY, "");
            c->Bind(wxEVT_CHECKBOX, [this, name](wxCommandEvent&) { edited(name); });
            fc.control = c;
        }
        else
        {
            const bool multi = def.type == model::FieldType::LongText;
            auto* t = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition,
                                     multi ? FromDIP(wxSize(-1, 60)) : wxDefaultSize, multi ? wxTE_MULTILINE : 0);
            if (def.type == model::FieldType::Date)
                t->SetHint(_("dd/mm/yyyy"));
            else if (def.type == model::FieldType::Nik)
                t->SetHint(_("16 digits"));
            else if (def.type == model::FieldType::Phone)
                t->SetHint(wxs("08…"));
            else if (def.type == model::FieldType::Slot)
                t->SetHint("HH:MM");
            t->Bind(wxEVT_TEXT, [this, name](wxCommandEvent&) { edited(name); });
            fc.control = t;
        }
        fc.control->SetName(wxs(def.name));
        cell->Add(fc.control, 0, wxEXPAND | (fc.readOnly ? wxTOP | wxBOTTOM : 0), FromDIP(2));
        fc.error = new wxStaticText(this, wxID_ANY, "");
        fc.error->SetForegroundColour(wxColour(178, 34, 34));
        fc.error->Hide();
        cell->Add(fc.error, 0, wxEXPAND | wxTOP, FromDIP(2));
        grid->Add(cell, 1, wxEXPAND);
        m_fields.push_back(fc);
    }
    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->Add(grid, 1, wxEXPAND | wxALL, FromDIP(10));
    SetSizer(outer);
    SetScrollRate(0, FromDIP(10));
}

void RecordForm::show(const model::Record& record)
{
    fill(record, true);
}

void RecordForm::showKeeping(const model::Record& record, const model::FieldMap& typed)
{
    model::Record shown = record;
    for (const auto& [field, value] : typed)
        shown.values[field] = value;
    fill(shown, true);
    for (const auto& [field, value] : typed)
        m_touched.insert(field);
}

void RecordForm::showNew(const model::FieldMap& defaults)
{
    model::Record blank;
    blank.values = defaults;
    fill(blank, false);
}

void RecordForm::fill(const model::Record& record, bool stored)
{
    m_loading = true;
    for (auto& fc : m_fields)
    {
        if (stored)
            fc.readOnly = fc.readOnly || fc.def->access == model::FieldAccess::CreateOnly;
        if (fc.def->type == model::FieldType::Kelurahan)
            continue;
        fillControl(fc, record.value(fc.def->name));
    }
    // The kelurahan choice lists the villages of the kecamatan just shown.
    for (auto& fc : m_fields)
        if (fc.def->type == model::FieldType::Kelurahan)
        {
            std::string kec;
            for (const auto& other : m_fields)
                if (other.def->type == model::FieldType::Kecamatan)
                    kec = controlValue(other);
            fillKelurahan(kec, record.value(fc.def->name));
        }
    m_touched.clear();
    m_loading = false;
}

void RecordForm::fillControl(FieldControl& fc, const std::string& value)
{
    if (auto* label = dynamic_cast<wxStaticText*>(fc.control))
    {
        const bool isDate = fc.def->type == model::FieldType::Date || fc.def->type == model::FieldType::Timestamp;
        wxString text = isDate ? displayDate(value) : wxs(value);
        label->SetForegroundColour(text.empty() ? wxColour(110, 110, 110) : wxNullColour);
        if (text.empty())
            text = fc.def->access == model::FieldAccess::Server     ? _("(given by the central office)")
                   : fc.def->access == model::FieldAccess::Computed ? _("(filled in automatically)")
                                                                    : wxString(wxs("—"));
        label->SetLabel(text);
        return;
    }
    if (auto* t = dynamic_cast<wxTextCtrl*>(fc.control))
    {
        const bool isDate = fc.def->type == model::FieldType::Date || fc.def->type == model::FieldType::Timestamp;
        t->ChangeValue(isDate && (fc.readOnly || fc.def->type == model::FieldType::Date) ? displayDate(value)
                                                                                         : wxs(value));
        t->SetEditable(!fc.readOnly);
    }
    else if (auto* c = dynamic_cast<wxChoice*>(fc.control))
    {
        auto it = std::find(fc.codes.begin(), fc.codes.end(), value);
        if (it == fc.codes.end())
        {
            // A value from elsewhere (another regency, a retired service) stays selectable.
            c->Append(wxs(value));
            fc.codes.push_back(value);
            it = fc.codes.end() - 1;
        }
        c->SetSelection(static_cast<int>(it - fc.codes.begin()));
    }
    else if (auto* b = dynamic_cast<wxCheckBox*>(fc.control))
        b->SetValue(value == "1");
    fc.control->Enable(!fc.readOnly || dynamic_cast<wxTextCtrl*>(fc.control));
}

std::string RecordForm::controlValue(const FieldControl& fc) const
{
    if (auto* t = dynamic_cast<wxTextCtrl*>(fc.control))
    {
        const std::string text = utf8(t->GetValue());
        return fc.def->type == model::FieldType::Date ? parseDisplayDate(text) : text;
    }
    if (auto* c = dynamic_cast<wxChoice*>(fc.control))
    {
        const int sel = c->GetSelection();
        return sel > 0 ? fc.codes[static_cast<std::size_t>(sel)] : std::string();
    }
    if (auto* b = dynamic_cast<wxCheckBox*>(fc.control))
        return b->GetValue() ? "1" : "0";
    return {};
}

void RecordForm::fillKelurahan(const std::string& kecamatan, const std::string& selected)
{
    for (auto& fc : m_fields)
    {
        if (fc.def->type != model::FieldType::Kelurahan)
            continue;
        auto* c = dynamic_cast<wxChoice*>(fc.control);
        if (!c)
        {
            fillControl(fc, selected);
            continue;
        }
        c->Clear();
        fc.codes.assign(1, "");
        c->Append("");
        if (!kecamatan.empty())
            for (const auto& [code, n] : model::Regions::standard().villagesOf(kecamatan))
            {
                c->Append(wxs(n));
                fc.codes.push_back(code);
            }
        fillControl(fc, selected);
    }
}

model::FieldMap RecordForm::changes(const model::Record& record) const
{
    model::FieldMap out;
    for (const auto& fc : m_fields)
    {
        if (fc.readOnly)
            continue;
        const std::string value = controlValue(fc);
        const std::string& original = record.value(fc.def->name);
        if (fc.def->type == model::FieldType::Bool && value == "0" && original.empty())
            continue;
        if (value != original)
            out[fc.def->name] = value;
    }
    return out;
}

void RecordForm::edited(const std::string& field)
{
    if (m_loading)
        return;
    m_touched.insert(field);
    for (const auto& fc : m_fields)
        if (fc.def->name == field && fc.def->type == model::FieldType::Kecamatan)
            fillKelurahan(controlValue(fc), "");
    if (onEdited)
        onEdited();
}

std::set<std::string> RecordForm::showProblems(const model::ValidationReport& report, bool all)
{
    std::set<std::string> withProblem;
    for (auto& fc : m_fields)
    {
        wxString text;
        for (const auto& p : report.problems())
            if (p.field == fc.def->name && (all || m_touched.count(p.field)))
            {
                text = translateProblem(p);
                if (p.severity == model::Severity::Warning)
                    text = wxString::Format(_("Check: %s"), text);
                withProblem.insert(p.field);
                break;
            }
        if (fc.error->GetLabel() != text)
        {
            fc.error->SetLabel(text);
            fc.error->Show(!text.empty());
        }
    }
    return withProblem;
}

wxString RecordForm::fieldError(const std::string& field) const
{
    for (const auto& fc : m_fields)
        if (fc.def->name == field)
            return fc.error->IsShown() ? fc.error->GetLabel() : wxString();
    return {};
}

void RecordForm::typeInto(const std::string& field, const std::string& text)
{
    for (auto& fc : m_fields)
    {
        if (fc.def->name != field)
            continue;
        if (auto* t = dynamic_cast<wxTextCtrl*>(fc.control))
        {
            // As typed: each character is a change event, like a person's keystrokes.
            t->ChangeValue("");
            edited(field);
            for (const wxUniChar ch : wxs(text))
            {
                t->AppendText(wxString(ch));
                wxCommandEvent e(wxEVT_TEXT, t->GetId());
                e.SetEventObject(t);
                e.SetString(t->GetValue());
                t->ProcessWindowEvent(e);
            }
            if (text.empty())
            {
                wxCommandEvent e(wxEVT_TEXT, t->GetId());
                e.SetEventObject(t);
                t->ProcessWindowEvent(e);
            }
        }
        else if (auto* c = dynamic_cast<wxChoice*>(fc.control))
        {
            auto it = std::find(fc.codes.begin(), fc.codes.end(), text);
            c->SetSelection(it == fc.codes.end() ? 0 : static_cast<int>(it - fc.codes.begin()));
            wxCommandEvent e(wxEVT_CHOICE, c->GetId());
            e.SetEventObject(c);
            e.SetInt(c->GetSelection());
            c->ProcessWindowEvent(e);
        }
        else if (auto* b = dynamic_cast<wxCheckBox*>(fc.control))
        {
            b->SetValue(text == "1");
            wxCommandEvent e(wxEVT_CHECKBOX, b->GetId());
            e.SetEventObject(b);
            e.SetInt(b->GetValue());
            b->ProcessWindowEvent(e);
        }
        return;
    }
}

} // namespace berkas::desktop
