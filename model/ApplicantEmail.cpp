#include "model/ApplicantEmail.h"

#include "model/Schema.h"
#include "model/Validation.h"

namespace berkas::model {

bool kindGetsEmail(const std::string& kind)
{
    return kind == kind::kApplication || kind == kind::kBooking || kind == kind::kComplaint;
}

std::optional<std::string> applicantEmail(const std::string& kind,
                                          const std::function<std::string(const std::string& field)>& value)
{
    if (!kindGetsEmail(kind))
        return std::nullopt;
    const std::string address = value(kind == kind::kComplaint ? field::kContact : field::kEmail);
    if (address.find_first_not_of(" \t") == std::string::npos)
        return std::nullopt;
    const FieldCheck check = checkEmail(address);
    if (!check.ok)
        return std::nullopt;
    return check.normalized;
}

} // namespace berkas::model
