#pragma once

#include <functional>
#include <optional>
#include <string>

namespace berkas::model {

/// The e-mail address the central office writes to about a record, or
/// nothing when its applicant gave none: an application's or a booking's
/// `email`, and a complaint's `contact` when that is an e-mail address (it may
/// be a phone number or a social-media handle). Any other kind: nothing.
/// @p value gives a field of the record ("" when empty). The one rule the
/// server's mail queue and the window's "no e-mail" notice both follow. Pure.
std::optional<std::string> applicantEmail(const std::string& kind,
                                          const std::function<std::string(const std::string& field)>& value);

/// Whether the central office writes e-mail about records of @p kind at all
/// (application, booking, complaint).
bool kindGetsEmail(const std::string& kind);

} // namespace berkas::model
