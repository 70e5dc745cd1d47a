#pragma once

#include "model/CaseStore.h"

#include <cstdint>
#include <string>

namespace berkas::test {

/// Fills the application table with @p n rows in one statement, bypassing
/// the store's validation (the subject of the tests using it is the paging).
inline void fillApplications(model::CaseStore& store, std::int64_t n)
{
    store.database().exec(
        "WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < " + std::to_string(n) +
        ") INSERT INTO application (id, created_at, updated_at, provisional_no, service_code, applicant_name, "
        "kecamatan, channel, status, due_date) SELECT printf('01900000-%04x-7%03x-8000-%012x', i / 65536, i % 4096, i), "
        "strftime('%Y-%m-%dT%H:%M:%S+07:00', 1700000000 + i * 30, 'unixepoch'), "
        "strftime('%Y-%m-%dT%H:%M:%S+07:00', 1700000000 + i * 30, 'unixepoch'), printf('P-000001-%06d', i), "
        "'SIPD', 'Pemohon ' || i, '32.75.09', 'counter', "
        "CASE i % 3 WHEN 0 THEN 'submitted' WHEN 1 THEN 'document_check' ELSE 'draft' END, "
        "CASE WHEN i % 7 = 0 THEN '2020-01-01' ELSE NULL END FROM x");
}

} // namespace berkas::test
