#pragma once

#include "model/Schema.h"

#include <map>
#include <string>

namespace berkas::model {

/// Field values by name. Berkas treats an empty string as "no value" (NULL).
using FieldMap = std::map<std::string, std::string>;

/// One record as read from the store: kind, id and every field (common fields
/// included), absent values as "". Only fields of the schema: how the store
/// keeps a record's stamps is ReplicaState's business.
struct Record
{
    std::string kind;
    std::string id;
    FieldMap values;

    const std::string& value(const std::string& name) const;
    bool deleted() const { return value(field::kDeleted) == "1"; }
};

} // namespace berkas::model
