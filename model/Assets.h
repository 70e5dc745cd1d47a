#pragma once

#include <map>
#include <string>

namespace berkas::model {

/// The folder of Berkas' data files (reference data, translations): the
/// BERKAS_ASSETS environment variable when set, else the folder compiled in.
std::string assetsDir();

/// The services of the shipped catalog as every laptop seeds them, by id:
/// each service's fields (code, name, agency, sla_days,
/// needs_field_verification, requirements, exempt_from_suspension, the
/// suspension of reference/suspensions.csv, created_at), all with the zero
/// stamp. The central office answers with these values for a seeded service
/// it does not hold. Read once; thread-safe; empty when the files are missing.
const std::map<std::string, std::map<std::string, std::string>>& referenceServices();

/// The services of the shipped catalog (reference/services.csv), by code,
/// each with the id every laptop seeds it under (the same everywhere, so the
/// seed is one record on every replica, though the central office holds it
/// only once someone edits it). Read once; thread-safe; empty when the file
/// is missing.
const std::map<std::string, std::string>& referenceServiceIds();

} // namespace berkas::model
