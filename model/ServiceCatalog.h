#pragma once

#include "model/OfficeCalendar.h"
#include "model/Record.h"

#include <string>
#include <vector>

namespace berkas::model {

class CaseStore;

/// A service of the catalog as lists and forms offer it.
struct ServiceName
{
    std::string code;
    std::string name;
};

/// The catalog's services that are not deleted, ordered by code.
std::vector<ServiceName> serviceNames(CaseStore& store);

/// The name of service @p code; "" when the catalog has no such service or
/// it is deleted.
std::string serviceName(CaseStore& store, const std::string& code);

/// The terms of service @p code as the suspension rules read them
/// (model/OfficeCalendar.h); no days when the catalog has no such service.
ServiceTerms serviceTerms(CaseStore& store, const std::string& code);

/// Why an application's due date is later than its SLA alone: the
/// suspensions that paused its clock between sla_started and due_date, in
/// order of start. Empty when none did or the clock has not started.
std::vector<Suspension> slaPauses(CaseStore& store, const Record& application);

} // namespace berkas::model
