#pragma once

#include "model/OfficeCalendar.h"

#include <string>
#include <utility>
#include <vector>

namespace berkas::sync {

class FieldTable;
class ServerDatabase;

/// The central office's view of the office calendar (model/OfficeCalendar.h)
/// and the due dates it gives. When the calendar changes (catalog import, an
/// administrator's push of a suspension or calendar day) or an application
/// arrives whose clock started, the server computes each due date again with
/// the same function the laptops use and writes the ones that differ as its
/// own changes, so every replica ends with the same date. Reads under
/// ServerStore's lock; writes nothing itself.
class DueDates
{
public:
    DueDates(ServerDatabase& db, FieldTable& fields);

    /// The calendar as the server holds it: the shipped holidays
    /// (reference/holidays-id.csv, as every laptop seeds them) and the
    /// calendar_day and suspension records that are not deleted.
    model::OfficeCalendar calendar();

    /// The service @p code as the server holds it, or as the shipped catalog
    /// seeds it; a code nobody knows gives terms with no days.
    model::ServiceTerms service(const std::string& code);

    /// The applications whose SLA clock has started (sla_started) and whose
    /// stored due_date differs from what @p calendar gives, with that date:
    /// every such application, or only those of @p ids when given.
    std::vector<std::pair<std::string, std::string>> stale(const model::OfficeCalendar& calendar,
                                                           const std::vector<std::string>* ids = nullptr);

private:
    /// Every (record_id, field, value) of the records of @p kind.
    std::vector<std::pair<std::string, model::FieldMap>> recordsOf(const char* kind);

    ServerDatabase& m_db;
    FieldTable& m_fields;
};

} // namespace berkas::sync
