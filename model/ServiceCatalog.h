#pragma once

#include <string>
#include <vector>

namespace berkas::model {

class CaseStore;

/// A service of the catalog as lists and forms offer it.
struct ServiceName
{
    std::string code;
    std::string name;
};

/// The catalog's services that are not deleted, ordered by code.
std::vector<ServiceName> serviceNames(CaseStore& store);

/// The name of service @p code; "" when the catalog has no such service or
/// it is deleted.
std::string serviceName(CaseStore& store, const std::string& code);

} // namespace berkas::model
