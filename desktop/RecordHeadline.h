#pragma once

#include "model/CaseStore.h"

#include <wx/string.h>

#include <string>

namespace berkas::desktop {

/// The record editor's title, in the interface language: the kind, then the
/// registration number, else the provisional one marked "(provisional)", else
/// a booking's code; "New: <kind>" while @p id is empty (not stored yet).
wxString recordTitle(const std::string& kind, const std::string& id, const model::Record& record);

/// The line under the editor's title: the status, then for a stored record
/// (@p id not empty) its sync state and due date, with "(Overdue)" when the
/// date has passed and the status is not a final one, and for an application,
/// booking or complaint whose applicant has no e-mail address (a complaint's
/// contact that is no e-mail address) that the applicant receives no e-mail
/// from the central office (model::applicantEmail). Reads the sync state
/// and today's date from @p store.
wxString recordStateLine(model::CaseStore& store, const std::string& kind, const std::string& id,
                         const model::Record& record);

} // namespace berkas::desktop
