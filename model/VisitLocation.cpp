#include "model/VisitLocation.h"

#include "model/CaseStore.h"
#include "model/Schema.h"

#include <algorithm>
#include <tuple>

namespace berkas::model {

std::vector<PhotoLocation> photoLocations(CaseStore& store, const std::string& taskId)
{
    ListQuery q;
    q.kind = kind::kAttachment;
    q.where = {{field::kParentId, taskId}};
    std::vector<PhotoLocation> photos;
    for (const auto& a : store.list(q))
    {
        PhotoLocation p{a.id, a.value(field::kName), a.value(field::kTakenAt), a.value(field::kLatitude),
                        a.value(field::kLongitude)};
        if (!p.latitude.empty() && !p.longitude.empty())
            photos.push_back(std::move(p));
    }
    // Times carry the camera's offset; photos of one visit share it, so the
    // text orders them as they were taken.
    std::sort(photos.begin(), photos.end(), [](const PhotoLocation& a, const PhotoLocation& b) {
        return std::make_tuple(a.takenAt.empty(), a.takenAt, a.name, a.attachmentId) <
               std::make_tuple(b.takenAt.empty(), b.takenAt, b.name, b.attachmentId);
    });
    return photos;
}

FieldMap visitLocationChanges(const Record& task, const PhotoLocation& photo)
{
    FieldMap changes = {{field::kLatitude, photo.latitude}, {field::kLongitude, photo.longitude}};
    if (task.value(field::kVisitedAt).empty() && !photo.takenAt.empty())
        changes[field::kVisitedAt] = photo.takenAt;
    return changes;
}

} // namespace berkas::model
