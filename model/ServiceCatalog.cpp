#include "model/ServiceCatalog.h"

#include "model/CaseStore.h"
#include "model/Database.h"

namespace berkas::model {

std::vector<ServiceName> serviceNames(CaseStore& store)
{
    std::vector<ServiceName> out;
    Statement s(store.database(), "SELECT code, name FROM service WHERE deleted = 0 ORDER BY code");
    while (s.step())
        out.push_back({s.text(0), s.text(1)});
    return out;
}

std::string serviceName(CaseStore& store, const std::string& code)
{
    Statement s(store.database(), "SELECT name FROM service WHERE code = ? AND deleted = 0");
    s.bind(1, code);
    return s.step() ? s.text(0) : "";
}

} // namespace berkas::model
