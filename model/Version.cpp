#include "model/Version.h"

namespace berkas::model {

const char* version()
{
    // Defined for this file alone (model/CMakeLists.txt), so a new version
    // recompiles one file.
    return BERKAS_VERSION;
}

} // namespace berkas::model
