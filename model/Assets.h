#pragma once

#include <map>
#include <string>

namespace berkas::model {

/// The folder of Berkas' data files (reference data, translations): the
/// BERKAS_ASSETS environment variable when set; else, for an installed
/// binary, installedAssetsDir() of the running executable; else the source
/// tree's assets/ folder compiled in (a binary in the build tree).
std::string assetsDir();

/// The data folder of an executable installed as PREFIX/bin/NAME:
/// PREFIX/share/NAME (Debian's /usr/share/<package>), when that folder holds
/// reference/. Empty for any other executable, e.g. one in the build tree.
/// Relative to the executable, so an unpacked package tree works wherever it is.
std::string installedAssetsDir(const std::string& executablePath);

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
