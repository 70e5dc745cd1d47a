#pragma once

#include <map>
#include <string>

namespace berkas::model {

/// The folder of Berkas' data files (reference data, translations): the
/// BERKAS_ASSETS environment variable when set, else the folder compiled in.
std::string assetsDir();

/// The services of the shipped catalog (reference/services.csv), by code,
/// each with the id every laptop seeds it under (the same everywhere, so the
/// seed is one record on every replica, though the central office holds it
/// only once someone edits it). Read once; thread-safe; empty when the file
/// is missing.
const std::map<std::string, std::string>& referenceServiceIds();

} // namespace berkas::model
