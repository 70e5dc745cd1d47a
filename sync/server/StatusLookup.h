#pragma once

#include "sync/server/ServerTypes.h"

#include <optional>
#include <string>

namespace berkas::sync {

class FieldTable;
class ServerDatabase;

/// Finds the record behind a number an applicant holds, for the public
/// status page: an application by its registration number (reg_no) or by the
/// provisional number of a receipt printed before its laptop synced, a
/// booking by its code. Each is one lookup on the index of the field rows
/// by value (SQLite: fields_kind_field on (kind, field, value); PostgreSQL:
/// the hash index fields_value), then the few fields of the candidates by
/// primary key. Not thread-safe: ServerStore uses it under its lock.
class StatusLookup
{
public:
    StatusLookup(ServerDatabase& db, FieldTable& fields);

    /// The status of the one live record that @p number names and whose NIK
    /// ends in @p nik4 (four digits). A number is tried as given and then in
    /// capitals (a booking code typed in small letters). nullopt, the same
    /// for every reason, when no record has that number, the NIK does not
    /// end so, the record has no NIK, it was deleted, or two records would
    /// answer (two laptops gave one booking code): the caller must not be
    /// able to tell a wrong number from a wrong NIK.
    std::optional<PublicStatus> find(const std::string& number, const std::string& nik4);

    /// The statement that finds candidates by number (one value bound three
    /// times), for tests that ask the database for its plan.
    static const char* candidatesSql();

private:
    ServerDatabase& m_db;
    FieldTable& m_fields;
};

} // namespace berkas::sync
