#include "model/RecordNumber.h"

#include "model/Schema.h"

namespace berkas::model {

RecordNumber recordNumber(const Record& record)
{
    if (const std::string& reg = record.value(field::kRegNo); !reg.empty())
        return {reg, false};
    if (const std::string& provisional = record.value(field::kProvisionalNo); !provisional.empty())
        return {provisional, true};
    return {};
}

} // namespace berkas::model
