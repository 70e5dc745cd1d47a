#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/VisitLocation.h"
#include "tests/model/StoreTestSupport.h"
#include "tests/support/TestPhotos.h"

#include <catch2/catch.hpp>

using namespace berkas;

namespace {

std::string newTask(model::CaseStore& store)
{
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Rini Hapsari"},
                                                         {"nik", "3275094107900001"},
                                                         {"channel", "phone"},
                                                         {"kecamatan", "32.75.09"}});
    return store.create("task", {{"application_id", app}, {"assigned_to", "budi"}, {"scheduled_for", "2021-05-10"}});
}

/// Attaches a photo made with @p tags under @p name; its attachment id.
std::string attachPhoto(test::StoreFixture& f, const std::string& task, const std::string& name,
                        const test::PhotoTags& tags)
{
    const std::string path = f.dir.file(name);
    test::writeFile(path, test::photoJpeg(tags));
    return model::attachFile(*f.store, task, path, {0, true}).id;
}

} // namespace

TEST_CASE("VisitLocation: the photos of a task with coordinates, in the order they were taken",
          "[model][attachment][verification]")
{
    test::StoreFixture f;
    const std::string task = newTask(*f.store);
    CHECK(model::photoLocations(*f.store, task).empty());

    const std::string later = attachPhoto(f, task, "samping.jpg", {-6.3021, 106.9507, "2021:05:07 08:40:00", "+07:00"});
    const std::string first = attachPhoto(f, task, "depan.jpg", {-6.3015, 106.9512, "2021:05:07 08:15:00", "+07:00"});
    const std::string untimed = attachPhoto(f, task, "atap.jpg", {-6.3017, 106.9510, "", ""});
    // Not offered: a photo without GPS tags, one taken abroad (kept without
    // coordinates), and a photo of another task.
    attachPhoto(f, task, "tanpa-gps.jpg", {std::nullopt, std::nullopt, "2021:05:07 08:20:00", "+07:00"});
    attachPhoto(f, task, "paris.jpg", {48.8584, 2.2945, "", ""});
    attachPhoto(f, newTask(*f.store), "lain.jpg", {-6.2, 106.9, "2021:05:07 07:00:00", "+07:00"});

    const auto photos = model::photoLocations(*f.store, task);
    REQUIRE(photos.size() == 3);
    CHECK(photos[0].attachmentId == first);
    CHECK(photos[0].name == "depan.jpg");
    CHECK(photos[0].takenAt == "2021-05-07T08:15:00+07:00");
    CHECK(std::stod(photos[0].latitude) == Approx(-6.3015).margin(1e-5));
    CHECK(std::stod(photos[0].longitude) == Approx(106.9512).margin(1e-5));
    CHECK(photos[1].attachmentId == later);
    CHECK(photos[2].attachmentId == untimed);
    CHECK(photos[2].takenAt.empty());
}

TEST_CASE("VisitLocation: a photo's location written to the task through the store's rules",
          "[model][attachment][verification]")
{
    test::StoreFixture f;
    const std::string task = newTask(*f.store);
    attachPhoto(f, task, "depan.jpg", {-6.3015, 106.9512, "2021:05:07 08:15:00", "+07:00"});
    const model::PhotoLocation photo = model::photoLocations(*f.store, task).at(0);

    SECTION("coordinates and, on a task not visited yet, the time the photo was taken")
    {
        const model::FieldMap changes = model::visitLocationChanges(f.store->get(task), photo);
        CHECK(changes == model::FieldMap{{"latitude", photo.latitude},
                                          {"longitude", photo.longitude},
                                          {"visited_at", "2021-05-07T08:15:00+07:00"}});
        const std::int64_t before = test::maxOutboxSeq(f.store->database());
        f.store->update(task, changes);
        const model::Record written = f.store->get(task);
        CHECK(written.value("latitude") == photo.latitude);
        CHECK(written.value("longitude") == photo.longitude);
        CHECK(written.value("visited_at") == "2021-05-07T08:15:00+07:00");
        CHECK(test::fieldsOf(test::outboxRows(f.store->database(), task)).count("visited_at") == 1);
        CHECK(test::maxOutboxSeq(f.store->database()) == before + 3);
        test::checkInvariants(*f.store);
    }
    SECTION("a visit time already entered is kept")
    {
        f.store->update(task, {{"visited_at", "2021-05-07T09:00:00+07:00"}});
        const model::FieldMap changes = model::visitLocationChanges(f.store->get(task), photo);
        CHECK(changes.count("visited_at") == 0);
        f.store->update(task, changes);
        CHECK(f.store->get(task).value("visited_at") == "2021-05-07T09:00:00+07:00");
    }
    SECTION("coordinates outside Indonesia that came from elsewhere are refused, nothing written")
    {
        // An attachment record from another laptop (an old version that kept
        // any place a camera wrote), as a pull writes it: no rules run.
        const std::string id = "01900000-0000-7000-8000-0000000000aa";
        {
            model::Transaction tx(f.store->database());
            const std::vector<std::pair<std::string, std::optional<std::string>>> fields = {
                {"parent_id", task}, {"name", "menara.jpg"},  {"mime", "image/jpeg"},   {"size", "1234"},
                {"sha256", std::string(64, 'a')}, {"latitude", "48.858400"}, {"longitude", "2.294500"}};
            f.store->writeReplicated("attachment", id, fields,
                                     std::vector<model::Stamp>(fields.size(), {f.store->hlcNow(), "other-device"}),
                                     "siti");
            tx.commit();
        }
        const auto photos = model::photoLocations(*f.store, task);
        const auto abroad = std::find_if(photos.begin(), photos.end(), [&](const auto& p) { return p.attachmentId == id; });
        REQUIRE(abroad != photos.end());
        const std::int64_t before = test::maxOutboxSeq(f.store->database());
        const std::string error =
            test::errorOf([&] { f.store->update(task, model::visitLocationChanges(f.store->get(task), *abroad)); });
        CHECK_THAT(error, Catch::StartsWith("latitude: "));
        CHECK_THAT(error, Catch::Contains("-11.5") && Catch::Contains("48.8584"));
        CHECK(f.store->get(task).value("latitude").empty());
        CHECK(f.store->get(task).value("visited_at").empty());
        CHECK(test::maxOutboxSeq(f.store->database()) == before);
    }
}
