#pragma once

#include <cstdint>

namespace berkas::model {

class CaseStore;

struct DemoOptions
{
    int applications = 200;
    std::uint32_t seed = 42;
    /// The demo office's "today" in UNIX ms; 0 means now. Records are spread
    /// over the 120 days before it.
    std::int64_t todayMs = 0;
};

struct DemoCounts
{
    int applications = 0;
    int tasks = 0;
    int complaints = 0;
    int bookings = 0;
};

/// Fills a store with a synthetic office for Kota Bekasi: its 12 kecamatan,
/// the service catalog, invented Indonesian names with valid (synthetic) NIKs,
/// and a plausible mix of statuses and dates. Every record goes through the
/// store, so it is validated and captured like a clerk's. Deterministic for a
/// seed. Runs in one transaction.
DemoCounts generateDemoData(CaseStore& store, const DemoOptions& options);

} // namespace berkas::model
