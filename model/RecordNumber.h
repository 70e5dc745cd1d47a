#pragma once

#include "model/CaseStore.h"

#include <string>

namespace berkas::model {

/// The number a person knows a record by (DESIGN.md, "Identifiers users
/// see"): the registration number once the central office has issued one,
/// else the provisional number this laptop gave it, which a caller must mark
/// as provisional. Empty for records that have neither (every kind but
/// application).
struct RecordNumber
{
    std::string number;
    bool provisional = false; ///< number is the provisional number

    bool empty() const { return number.empty(); }
};

/// The number of @p record: reg_no when present, else provisional_no.
RecordNumber recordNumber(const Record& record);

} // namespace berkas::model
