#include "model/ReferenceSeed.h"

#include "model/Assets.h"
#include "model/Csv.h"
#include "model/Schema.h"

#include <optional>
#include <string>

namespace berkas::model {

void seedReferenceData(Database& db, DeviceSettings& settings)
{
    if (!settings.get("seeded").empty())
        return;
    Transaction tx(db);
    const std::string dir = assetsDir() + "/reference";
    {
        Statement insert(db, "INSERT OR IGNORE INTO holiday(date, name) VALUES (?, ?)");
        const auto rows = readCsvFile(dir + "/holidays-id.csv");
        for (std::size_t i = 1; i < rows.size(); ++i)
            if (rows[i].cells.size() >= 2)
                insert.bind(1, rows[i].cells[0]).bind(2, rows[i].cells[1]).run();
    }
    {
        Statement insert(db, "INSERT OR IGNORE INTO service(id, created_at, updated_at, code, name, agency, "
                             "sla_days, needs_field_verification, requirements, exempt_from_suspension, "
                             "suspended_from, suspended_to, suspension_basis) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& [id, f] : referenceServices())
        {
            const auto value = [&f = f](const char* name) -> std::optional<std::string> {
                const auto it = f.find(name);
                return it == f.end() ? std::nullopt : std::optional<std::string>(it->second);
            };
            insert.bind(1, id)
                .bind(2, f.at(field::kCreatedAt))
                .bind(3, f.at(field::kCreatedAt))
                .bind(4, f.at(field::kCode))
                .bind(5, f.at(field::kName))
                .bind(6, f.at(field::kAgency))
                .bind(7, f.at(field::kSlaDays))
                .bind(8, f.at(field::kNeedsFieldVerification))
                .bind(9, f.at(field::kRequirements))
                .bind(10, f.at(field::kExemptFromSuspension))
                .bindOptional(11, value(field::kSuspendedFrom))
                .bindOptional(12, value(field::kSuspendedTo))
                .bindOptional(13, value(field::kSuspensionBasis))
                .run();
        }
    }
    settings.set("seeded", "1");
    tx.commit();
}

std::set<Date> storedHolidays(Database& db)
{
    std::set<Date> holidays;
    Statement s(db, "SELECT date FROM holiday");
    while (s.step())
        if (auto d = Date::parse(s.text(0)))
            holidays.insert(*d);
    return holidays;
}

OfficeCalendar storedCalendar(Database& db)
{
    std::vector<CalendarDay> days;
    {
        Statement s(db, "SELECT date, name, kind, region FROM calendar_day WHERE deleted = 0");
        while (s.step())
            days.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
    }
    std::vector<Suspension> suspensions;
    {
        Statement s(db, "SELECT id, instrument, number, region, date_from, date_to, extends, locations, steps, "
                        "exempt_services, channels FROM suspension WHERE deleted = 0");
        while (s.step())
            suspensions.push_back(Suspension::fromFields(
                s.text(0), {{field::kInstrument, s.text(1)},
                            {field::kNumber, s.text(2)},
                            {field::kRegion, s.text(3)},
                            {field::kDateFrom, s.text(4)},
                            {field::kDateTo, s.text(5)},
                            {field::kExtends, s.text(6)},
                            {field::kLocations, s.text(7)},
                            {field::kSteps, s.text(8)},
                            {field::kExemptServices, s.text(9)},
                            {field::kChannels, s.text(10)}}));
    }
    return OfficeCalendar(storedHolidays(db), std::move(days), std::move(suspensions));
}

} // namespace berkas::model
