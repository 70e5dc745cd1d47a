#include "model/Assets.h"

#include <cstdlib>

namespace berkas::model {

std::string assetsDir()
{
    if (const char* env = std::getenv("BERKAS_ASSETS"); env && *env)
        return env;
    return BERKAS_ASSETS_DIR;
}

} // namespace berkas::model
