#include "desktop/Commands.h"

#include "model/Error.h"

namespace berkas::desktop {

int runExportCommand(Invocation& inv)
{
    throw Error(ErrorCode::Internal, "berkas " + inv.command + ": not available in this build yet");
}

} // namespace berkas::desktop
