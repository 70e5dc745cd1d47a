#pragma once

namespace berkas::model {

/// The version of Berkas, "MAJOR.MINOR.PATCH", as set once in the top-level
/// CMakeLists.txt (project(... VERSION)); the same in every binary.
const char* version();

} // namespace berkas::model
