#pragma once

#include "model/Record.h"

#include <string>
#include <vector>

namespace berkas::model {

class CaseStore;

/// A photo attached to a task that says where it was taken (its EXIF GPS
/// tags, read when it was attached: model::attachFile), offered to the
/// verifier as the visit's location.
struct PhotoLocation
{
    std::string attachmentId;
    std::string name;
    std::string takenAt;   ///< ISO 8601 with the camera's offset, or empty when the photo has no time
    std::string latitude;  ///< decimal degrees as stored on the attachment
    std::string longitude;
};

/// The photos of task @p taskId that carry both coordinates, in the order
/// they were taken (photos without a time last), then by name. Attachments
/// without coordinates (signatures, documents, photos without GPS tags) are
/// left out; the list is empty when no photo has a location.
std::vector<PhotoLocation> photoLocations(CaseStore& store, const std::string& taskId);

/// The changes that make @p photo the location of the visit of @p task: its
/// latitude and longitude, and its time as `visited_at` when the task has no
/// visit time yet (a time already entered is kept). Nothing is checked here:
/// the caller writes them with CaseStore::update, whose rules refuse
/// coordinates outside Indonesia with the field and the rule, writing nothing.
FieldMap visitLocationChanges(const Record& task, const PhotoLocation& photo);

} // namespace berkas::model
