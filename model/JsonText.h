#pragma once

#include <string>

namespace berkas::model {

/// Appends @p text to @p out as a JSON string literal (quoted, escaped by
/// Poco when it needs escaping). For JSON written as a stream where building
/// a Poco::JSON tree would cost more than the work itself: the audit log,
/// pull answers of millions of values.
void appendJsonString(std::string& out, const std::string& text);

} // namespace berkas::model
