#pragma once

#include <cstdint>
#include <string>

namespace berkas::sync {

class ServerDatabase;

/// Registration numbers, issued by the central office when it first sees an
/// application, following ServerStoreOptions::regNoTemplate (by default
/// "{year}/{service}/{seq:06}"): gapless per year, never reused. Not
/// thread-safe: the push calls it under ServerStore's lock.
class RegNumbers
{
public:
    explicit RegNumbers(ServerDatabase& db);

    /// The next number for @p serviceCode in the year of @p physicalMs (Unix
    /// milliseconds, the year in the office zone). Must run in the
    /// transaction that writes the number, so a rolled-back push never
    /// burns one.
    std::string assign(const std::string& serviceCode, std::int64_t physicalMs);

    /// Moves the counter of the year in @p regNo past its number, when
    /// @p regNo follows the template (a number a restored-away database
    /// issued, sent back by a laptop); otherwise nothing. Same transaction
    /// rule as assign().
    void movePast(const std::string& regNo);

private:
    ServerDatabase& m_db;
};

} // namespace berkas::sync
