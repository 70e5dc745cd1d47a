#include "desktop/CommandLine.h"
#include "desktop/Commands.h"
#include "desktop/Session.h"
#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>

#include <iostream>

namespace berkas::desktop {

namespace {

std::string degrees(double d)
{
    return Poco::NumberFormatter::format(d, 6);
}

/// The office's limit for one file, as the central office told this laptop
/// at its last sync (store setting "max_file_size"); 0 before the first.
std::int64_t officeFileLimit(model::CaseStore& store)
{
    Poco::Int64 limit = 0;
    return Poco::NumberParser::tryParse64(store.setting("max_file_size", "0"), limit) ? limit : 0;
}

int cmdAttach(Invocation& inv)
{
    if (inv.args.size() != 2)
        throw UsageError(inv.args.empty() ? "missing RECORD_ID and FILE" : inv.args.size() == 1 ? "missing FILE"
                                                                                                : "too many arguments");
    const std::string& recordId = inv.args[0];
    const std::string& file = inv.args[1];
    model::CaseStore store(Session::forCommand(inv)->storeOptions());
    const model::Record parent = store.get(recordId);
    if (parent.kind == model::kind::kAttachment || parent.kind == model::kind::kConflict)
        throw Error(ErrorCode::InvalidData, "RECORD_ID: files are attached to applications, tasks, complaints, "
                                            "bookings or notes, not to a " + parent.kind);
    model::AttachOptions options;
    options.maxFileSize = officeFileLimit(store);
    // A file named as a photo must be one: it goes into the inspection report.
    options.requireImage = model::nameClaimsImage(file);
    const model::AttachResult result = model::attachFile(store, recordId, file, options);
    *inv.out << result.id << "\n";

    const std::string name = Poco::Path(file).getFileName();
    const model::PhotoExif& exif = result.exif;
    if (exif.broken)
        *inv.err << "warning: " << name << ": its EXIF data cannot be read; attached without a location or time\n";
    else if (exif.outsideIndonesia)
        *inv.err << "warning: latitude, longitude: " << degrees(*exif.rawLatitude) << ", "
                 << degrees(*exif.rawLongitude) << " from " << name
                 << " is outside Indonesia (latitude -11.5 to 6.5, longitude 94.5 to 141.5); attached without a location\n";
    else if (exif.hasLocation() && parent.kind == model::kind::kTask &&
             parent.value(model::field::kLatitude).empty())
        // Offered, not written: the verifier decides where the visit was.
        *inv.err << "location: " << name << " was taken at " << degrees(*exif.latitude) << ", "
                 << degrees(*exif.longitude) << "; to use it as the visit's location: berkas set " << recordId
                 << " latitude=" << degrees(*exif.latitude) << " longitude=" << degrees(*exif.longitude) << "\n";
    return kExitOk;
}

int cmdExtract(Invocation& inv)
{
    if (inv.args.size() != 1)
        throw UsageError(inv.args.empty() ? "missing ATTACHMENT_ID" : "too many arguments");
    if (!inv.options.count("to") || inv.options["to"].empty() || inv.options["to"] == "1")
        throw UsageError("missing --to=FILE");
    model::CaseStore store(Session::forCommand(inv)->storeOptions());
    model::extractAttachment(store, inv.args[0], inv.options["to"]);
    return kExitOk;
}

} // namespace

int runAttachCommand(Invocation& inv)
{
    if (inv.command == "attach")
        return cmdAttach(inv);
    if (inv.command == "extract")
        return cmdExtract(inv);
    return runSyncCommand(inv);
}

} // namespace berkas::desktop
