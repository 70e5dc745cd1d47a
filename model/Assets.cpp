#include "model/Assets.h"

#include "model/Csv.h"
#include "model/Uuid.h"

#include <cstdlib>

namespace berkas::model {

std::string assetsDir()
{
    if (const char* env = std::getenv("BERKAS_ASSETS"); env && *env)
        return env;
    return BERKAS_ASSETS_DIR;
}

const std::map<std::string, std::string>& referenceServiceIds()
{
    static const std::map<std::string, std::string> ids = [] {
        std::map<std::string, std::string> out;
        try
        {
            const auto rows = readCsvFile(assetsDir() + "/reference/services.csv");
            for (std::size_t i = 1; i < rows.size(); ++i)
                if (rows[i].cells.size() >= 8)
                    out[rows[i].cells[0]] = nameUuid("service:" + rows[i].cells[0]);
        }
        catch (const std::exception&)
        {
        }
        return out;
    }();
    return ids;
}

} // namespace berkas::model
