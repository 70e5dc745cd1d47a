#include "desktop/RecordHeadline.h"

#include "desktop/UiText.h"
#include "model/ApplicantEmail.h"
#include "model/ServiceCatalog.h"
#include "model/RecordNumber.h"
#include "model/RecordPager.h"
#include "model/Schema.h"
#include "model/Workflow.h"

#include <wx/intl.h>

namespace berkas::desktop {

wxString recordTitle(const std::string& kind, const std::string& id, const model::Record& record)
{
    wxString title = kindTitle(kind);
    if (id.empty())
        title = wxString::Format(_("New: %s"), title);
    else if (const model::RecordNumber n = model::recordNumber(record); !n.empty())
        title += " " + wxs(n.number) + (n.provisional ? " " + _("(provisional)") : wxString());
    else if (!record.value("code").empty())
        title += " " + wxs(record.value("code"));
    return title;
}

wxString recordStateLine(model::CaseStore& store, const std::string& kind, const std::string& id,
                         const model::Record& record)
{
    wxString state;
    if (!record.value(model::field::kStatus).empty())
        state = _("Status:") + " " + valueLabel(model::field::kStatus, record.value(model::field::kStatus));
    if (!id.empty())
    {
        state += (state.empty() ? wxString() : wxs("   ·   ")) + syncStateLabel(model::syncStateOf(store, kind, id));
        const std::string& due = record.value(model::field::kDueDate);
        if (!due.empty())
        {
            state += wxs("   ·   ") + _("Due date") + " " + displayDate(due);
            const std::string& st = record.value(model::field::kStatus);
            if (due < store.today().toString() && !model::isTerminal(kind, st))
                state += " (" + _("Overdue") + ")";
            // The clock stood still while a suspension stopped the service.
            if (kind == model::kind::kApplication)
                for (const auto& s : model::slaPauses(store, record))
                    state += wxs("   ·   ") +
                             (s.to.empty() ? wxString::Format(_("SLA paused by %s from %s"), wxs(s.title()),
                                                              displayDate(s.from))
                                           : wxString::Format(_("SLA paused by %s, %s to %s"), wxs(s.title()),
                                                              displayDate(s.from), displayDate(s.to)));
        }
        // The central office writes to applicants by e-mail (sync/server/MailEvents.h).
        if (model::kindGetsEmail(kind) &&
            !model::applicantEmail(kind, [&record](const std::string& f) { return record.value(f); }))
            state += wxs("   ·   ") + _("No e-mail address: the applicant receives no e-mail");
    }
    return state;
}

} // namespace berkas::desktop
