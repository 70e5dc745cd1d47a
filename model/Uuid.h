#pragma once

#include <string>

namespace berkas::model {

/// A new time-ordered UUID (RFC 9562 version 7): 48 bits of UNIX milliseconds
/// then random bits, so records created later sort later and B-tree inserts
/// stay local. Thread-safe.
std::string newUuidV7();

/// A name-based UUID (version 5) in Berkas' own namespace: the same name gives
/// the same id on every device, for reference records seeded everywhere.
std::string nameUuid(const std::string& name);

/// True for the canonical 8-4-4-4-12 lower- or upper-case hex form.
bool isUuid(const std::string& text);

} // namespace berkas::model
