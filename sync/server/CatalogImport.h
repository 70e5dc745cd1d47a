#pragma once

#include "model/Record.h"

#include <string>
#include <vector>

namespace berkas::sync {

/// One record of a catalog file, as the central office will hold it.
struct CatalogRecord
{
    std::string kind; ///< service, suspension or calendar_day
    std::string id;   ///< name-based, so importing the same row again changes the same record
    model::FieldMap fields;
    bool partial = false; ///< only some fields of a record that must exist (a service's checklist)
};

/// `berkas-server catalog import FILE.csv`: the rows of a catalog file,
/// whose kind its header tells (sync/server/README.md, "Catalog"):
/// - services: `code,name_id,...,sla_days,...` as reference/services.csv
///   (or `code,name,...`), one service per row, under the id every laptop
///   seeds a shipped service with;
/// - checklists: `code,requirements` (items separated by `;`), the
///   requirement list of services the office already has;
/// - suspensions: `region,instrument,number,date_from,date_to,...` as
///   reference/suspensions.csv, with optional `locations` and `extends` (the
///   number, or instrument and number, of the suspension a row extends, in
///   the same file); the shipped file's words for steps ("counter intake")
///   and exemptions ("health services") are read as their codes;
/// - holidays: `date,name_id,...,type` as reference/holidays-id.csv, with
///   an optional `region`; type public or national, cuti_bersama, regional,
///   working_day.
/// @p region, when not empty, keeps only the rows of that region (a kab/kota
/// office importing the shared file). Every row is checked before anything
/// is returned: Error(InvalidData) "FILE line N: field: rule" for the first
/// problem, Error(Storage) when the file cannot be read.
std::vector<CatalogRecord> readCatalogFile(const std::string& path, const std::string& region);

} // namespace berkas::sync
