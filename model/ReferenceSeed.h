#pragma once

#include "model/Database.h"
#include "model/Date.h"
#include "model/DeviceSettings.h"
#include "model/OfficeCalendar.h"

#include <set>

namespace berkas::model {

/// Puts the shipped reference data into a new store, once: the national
/// holidays of the working-day calendar (reference/holidays-id.csv) and the
/// service catalog (model::referenceServices). Services get name-based ids
/// and a zero stamp, so that any edit made anywhere wins over the seed and
/// no device pushes the seed itself. Does nothing when the store was seeded
/// before (the setting "seeded"); one transaction of its own.
void seedReferenceData(Database& db, DeviceSettings& settings);

/// The holidays stored in @p db, for the working-day calendar.
std::set<Date> storedHolidays(Database& db);

/// The office's calendar as @p db holds it: the shipped holidays and the
/// central office's calendar_day and suspension records (tombstones left out).
OfficeCalendar storedCalendar(Database& db);

} // namespace berkas::model
