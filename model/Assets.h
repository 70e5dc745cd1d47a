#pragma once

#include <string>

namespace berkas::model {

/// The folder of Berkas' data files (reference data, translations): the
/// BERKAS_ASSETS environment variable when set, else the folder compiled in.
std::string assetsDir();

} // namespace berkas::model
