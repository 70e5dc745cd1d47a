#pragma once

#include "model/CaseStore.h"

#include <wx/string.h>

class wxWindow;

namespace berkas::desktop {

/// The receipt (tanda terima) of an application as HTML: office header,
/// registration or provisional number, applicant, service, requirement
/// checklist and due date, in the interface language.
wxString receiptHtml(model::CaseStore& store, const model::Record& application);

/// Shows the receipt in a print preview (wxHtmlEasyPrinting).
void showReceiptPreview(wxWindow* parent, model::CaseStore& store, const model::Record& application);

} // namespace berkas::desktop
