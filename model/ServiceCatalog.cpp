#include "model/ServiceCatalog.h"

#include "model/CaseStore.h"
#include "model/Database.h"

namespace berkas::model {

std::vector<ServiceName> serviceNames(CaseStore& store)
{
    std::vector<ServiceName> out;
    Statement s(store.database(), "SELECT code, name FROM service WHERE deleted = 0 ORDER BY code");
    while (s.step())
        out.push_back({s.text(0), s.text(1)});
    return out;
}

std::string serviceName(CaseStore& store, const std::string& code)
{
    Statement s(store.database(), "SELECT name FROM service WHERE code = ? AND deleted = 0");
    s.bind(1, code);
    return s.step() ? s.text(0) : "";
}

ServiceTerms serviceTerms(CaseStore& store, const std::string& code)
{
    Statement s(store.database(), "SELECT code, sla_days, needs_field_verification, exempt_from_suspension FROM service "
                                  "WHERE code = ? AND deleted = 0");
    s.bind(1, code);
    if (!s.step())
    {
        ServiceTerms none;
        none.code = code;
        return none;
    }
    return ServiceTerms::fromFields({{field::kCode, s.text(0)},
                                     {field::kSlaDays, s.text(1)},
                                     {field::kNeedsFieldVerification, s.text(2)},
                                     {field::kExemptFromSuspension, s.text(3)}});
}

std::vector<Suspension> slaPauses(CaseStore& store, const Record& application)
{
    const auto start = Date::parse(application.value(field::kSlaStarted));
    const auto due = Date::parse(application.value(field::kDueDate));
    if (!start || !due)
        return {};
    std::vector<Suspension> out;
    for (const Suspension* s : store.officeCalendar().pauses(
             *start, *due, serviceTerms(store, application.value(field::kServiceCode)),
             application.value(field::kKecamatan)))
        out.push_back(*s);
    return out;
}

} // namespace berkas::model
