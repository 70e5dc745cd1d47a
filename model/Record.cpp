#include "model/Record.h"

namespace berkas::model {

const std::string& Record::value(const std::string& name) const
{
    static const std::string kEmpty;
    const auto it = values.find(name);
    return it == values.end() ? kEmpty : it->second;
}

} // namespace berkas::model
