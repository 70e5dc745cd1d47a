#pragma once

#include "model/CaseStore.h"

#include <wx/string.h>

#include <string>

class wxWindow;

namespace berkas::desktop {

/// The receipt (tanda terima) of an application as HTML: office header,
/// registration or provisional number, applicant, service, requirement
/// checklist and due date, in the interface language, and the QR code of
/// the public status page for its number (as an image in wxWidgets' memory
/// file system, "memory:berkas-status-qr-....png").
wxString receiptHtml(model::CaseStore& store, const model::Record& application);

/// Shows the receipt in a print preview (wxHtmlEasyPrinting).
void showReceiptPreview(wxWindow* parent, model::CaseStore& store, const model::Record& application);

/// The confirmation of a counter booking as HTML: office header, booking
/// code, service, location, day and time, status and what to do next.
wxString bookingConfirmationHtml(model::CaseStore& store, const model::Record& booking);

/// Shows the booking confirmation in a print preview.
void showBookingConfirmationPreview(wxWindow* parent, model::CaseStore& store, const model::Record& booking);

/// The address of the public status page for @p number that the receipt's
/// and the confirmation's QR code carry: the server this laptop enrolled
/// with (sync::statusPageUrl); empty when it never enrolled, and then the
/// printouts carry no QR code. Only the number, never the NIK.
std::string printedStatusUrl(model::CaseStore& store, const std::string& number);

} // namespace berkas::desktop
