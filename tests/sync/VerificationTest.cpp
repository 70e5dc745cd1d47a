// The verifier's day through a real server: an application sent to the
// field, its visits finished on two verifiers' laptops that never see each
// other's task, and the one move the central office makes when the last
// visit is in, taken alike by every laptop.
#include "model/AttachmentFiles.h"
#include "model/Assets.h"
#include "sync/server/FileVault.h"
#include "tests/desktop/TestImages.h"
#include "tests/support/TestPhotos.h"
#include "tests/sync/ScratchDatabase.h"
#include "tests/sync/SyncFixture.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>

using namespace berkas;
using test::Laptop;
using test::TestServer;

namespace {

/// An office with a manager and two verifiers, and one application the
/// manager sent to the field for Vera (the task the write rules make) with a
/// second visit for Vino; every laptop synced. On SQLite, or on the
/// PostgreSQL database @p databaseUrl names.
struct FieldOffice
{
    std::unique_ptr<TestServer> owned;
    TestServer& server;
    std::unique_ptr<Laptop> manager;
    std::unique_ptr<Laptop> vera;
    std::unique_ptr<Laptop> vino;
    std::string app;
    std::string taskVera;
    std::string taskVino;

    explicit FieldOffice(const std::string& databaseUrl = "")
        : owned(databaseUrl.empty() ? std::make_unique<TestServer>() : std::make_unique<TestServer>(databaseUrl, 4)),
          server(*owned)
    {
        server.addUser("budi", "manager");
        server.addUser("vera", "verifier");
        server.addUser("vino", "verifier");
        manager = std::make_unique<Laptop>(server, "budi");
        vera = std::make_unique<Laptop>(server, "vera");
        vino = std::make_unique<Laptop>(server, "vino");
        auto& m = *manager->store;
        app = manager->newApplication("Sari Wulandari");
        m.update(app, {{"assigned_to", "vera"}, {"status", "submitted"}});
        m.update(app, {{"status", "document_check"}});
        tickChecklist();
        m.update(app, {{"status", "field_verification"}});
        taskVera = tasksOf(m).at(0).id;
        REQUIRE(m.get(taskVera).value("assigned_to") == "vera");
        taskVino = m.create("task", {{"application_id", app}, {"assigned_to", "vino"}});
        syncAll();
    }

    void tickChecklist()
    {
        model::ListQuery q;
        q.kind = "requirement";
        q.where = {{"application_id", app}};
        for (const auto& item : manager->store->list(q))
            manager->store->update(item.id, {{"fulfilled", "1"}});
    }
    std::vector<model::Record> tasksOf(model::CaseStore& store)
    {
        model::ListQuery q;
        q.kind = "task";
        q.where = {{"application_id", app}};
        return store.list(q);
    }
    void syncAll()
    {
        manager->sync();
        vera->sync();
        vino->sync();
    }
    static void finish(Laptop& laptop, const std::string& task, const std::string& result)
    {
        laptop.store->update(task, {{"status", "in_progress"}});
        laptop.store->update(task, {{"status", "done"},
                                    {"result", result},
                                    {"findings", "Bangunan sesuai gambar rencana."},
                                    {"latitude", "-6.2871"},
                                    {"longitude", "106.9703"}});
    }
    std::string status(Laptop& laptop) { return laptop.store->get(app).value("status"); }
    int conflicts()
    {
        return static_cast<int>(manager->openConflicts().size() + vera->openConflicts().size() +
                                vino->openConflicts().size());
    }
};

} // namespace

TEST_CASE("Verification: the last visit in moves the application, the same on every laptop", "[sync][verification]")
{
    FieldOffice office;
    REQUIRE(office.vera->store->find(office.taskVera));
    REQUIRE_FALSE(office.vera->store->find(office.taskVino));
    REQUIRE_FALSE(office.vino->store->find(office.taskVera));
    REQUIRE(office.status(*office.vera) == "field_verification");

    SECTION("both compliant: recommendation once the second visit reaches the office")
    {
        FieldOffice::finish(*office.vera, office.taskVera, "compliant");
        FieldOffice::finish(*office.vino, office.taskVino, "compliant");
        // Vera's laptop sees only her task, all of it done: nothing moves there.
        office.vera->sync();
        CHECK(office.server.store->value(office.app, "status") == std::string("field_verification"));
        CHECK(office.status(*office.vera) == "field_verification");
        office.vino->sync();
        CHECK(office.server.store->value(office.app, "status") == std::string("recommendation"));
        // The central office wrote it, with its own stamp.
        CHECK(office.server.store->stamp(office.app, "status").device != office.vino->store->deviceId());
        office.syncAll();
        CHECK(office.status(*office.manager) == "recommendation");
        CHECK(office.status(*office.vera) == "recommendation");
        CHECK(office.status(*office.vino) == "recommendation");
        CHECK(office.conflicts() == 0);
        // Nothing is left to push, and syncing again moves nothing.
        const auto seq = office.server.store->lastSeq();
        office.syncAll();
        CHECK(office.server.store->lastSeq() == seq);
        CHECK(office.manager->store->outboxSize() == 0);
    }
    SECTION("one needs_revision: back to document_check; the next round is judged by its own visit")
    {
        FieldOffice::finish(*office.vera, office.taskVera, "compliant");
        FieldOffice::finish(*office.vino, office.taskVino, "needs_revision");
        office.vino->sync();
        CHECK(office.server.store->value(office.app, "status") == std::string("field_verification"));
        office.vera->sync();
        CHECK(office.server.store->value(office.app, "status") == std::string("document_check"));
        office.manager->sync();
        REQUIRE(office.status(*office.manager) == "document_check");

        // The applicant revised; the manager sends the file to the field again.
        office.manager->store->update(office.app, {{"status", "field_verification"}});
        const auto tasks = office.tasksOf(*office.manager->store);
        REQUIRE(tasks.size() == 3);
        std::string second;
        for (const auto& t : tasks)
            if (t.value("status") == "assigned")
                second = t.id;
        REQUIRE_FALSE(second.empty());
        office.syncAll();
        // The old needs_revision does not send the file straight back.
        CHECK(office.server.store->value(office.app, "status") == std::string("field_verification"));
        REQUIRE(office.vera->store->find(second));
        FieldOffice::finish(*office.vera, second, "compliant");
        office.vera->sync();
        CHECK(office.server.store->value(office.app, "status") == std::string("recommendation"));
        office.syncAll();
        CHECK(office.status(*office.manager) == "recommendation");
        CHECK(office.status(*office.vino) == "recommendation");
        CHECK(office.conflicts() == 0);
    }
    SECTION("a cancelled visit does not hold the file")
    {
        office.manager->store->update(office.taskVino, {{"status", "cancelled"}});
        office.manager->sync();
        FieldOffice::finish(*office.vera, office.taskVera, "compliant");
        office.vera->sync();
        CHECK(office.server.store->value(office.app, "status") == std::string("recommendation"));
        CHECK(office.status(*office.vera) == "recommendation");
    }
    SECTION("a manager who moves the file by hand meanwhile gets one conflict to review, not a loop")
    {
        // Offline, the manager decides without waiting for Vino's report.
        office.manager->store->update(office.app, {{"status", "rejected"}});
        FieldOffice::finish(*office.vera, office.taskVera, "compliant");
        FieldOffice::finish(*office.vino, office.taskVino, "compliant");
        office.vera->sync();
        office.vino->sync();
        REQUIRE(office.server.store->value(office.app, "status") == std::string("recommendation"));
        office.manager->sync();
        office.syncAll();
        const std::string settled = office.server.store->value(office.app, "status").value_or("");
        CHECK(office.status(*office.manager) == settled);
        CHECK(office.status(*office.vera) == settled);
        CHECK(office.manager->openConflicts().size() == 1);
        const auto seq = office.server.store->lastSeq();
        office.syncAll();
        office.syncAll();
        CHECK(office.server.store->lastSeq() == seq);
        CHECK(office.manager->openConflicts().size() == 1);
    }
}

TEST_CASE("Verification: a day of visits offline brings findings, photos and signatures to the office intact",
          "[sync][verification][files]")
{
    FieldOffice office;
    Laptop& vera = *office.vera;
    Laptop& manager = *office.manager;
    // Morning, at the office: the assignment reached Vera's laptop, with the
    // application it is about; then she leaves and nothing syncs until evening.
    REQUIRE(vera.store->find(office.taskVera));
    CHECK(vera.store->get(office.app).value("applicant_name") == "Sari Wulandari");

    struct Kept
    {
        std::string id;
        std::string sha;
    };
    std::vector<Kept> files;
    const auto attach = [&](const std::string& name, bool image) {
        const std::string path = vera.dir.file(name);
        const auto r = model::attachFile(*vera.store, office.taskVera, path, {0, image});
        files.push_back({r.id, model::sha256OfFile(path)});
        return r.id;
    };
    vera.store->update(office.taskVera, {{"status", "in_progress"}});
    test::writeFile(vera.dir.file("tampak-depan.jpg"), test::photoJpeg({-6.2871, 106.9703, "2026:12:10 09:41:05", "+07:00"}));
    test::writeFile(vera.dir.file("tampak-samping.jpg"),
                    test::photoJpeg({-6.2873, 106.9706, "2026:12:10 09:44:30", "+07:00"}));
    test::writeJpegPhoto(vera.dir.file("ruang-dalam.jpg"), 1600, 1200, 7); // a camera's photo, no EXIF
    const std::string front = attach("tampak-depan.jpg", true);
    attach("tampak-samping.jpg", true);
    attach("ruang-dalam.jpg", true);
    test::writeSignaturePng(vera.dir.file("signature-verifier.png"), 1);
    test::writeSignaturePng(vera.dir.file("signature-applicant.png"), 2);
    attach("signature-verifier.png", true);
    attach("signature-applicant.png", true);

    // The visit's location from the first photo's EXIF, the checklist of the
    // service and her own words.
    model::Findings findings;
    for (const auto& item : model::referenceFindingsChecklist("PBG"))
        findings.items.push_back({item, true});
    findings.notes = "Bangunan sesuai gambar rencana; garis sempadan 5 m terpenuhi.";
    const model::Record photo = vera.store->get(front);
    REQUIRE(photo.value("latitude") != "");
    vera.store->update(office.taskVera, {{"status", "done"},
                                         {"result", "compliant"},
                                         {"findings", model::formatFindings(findings)},
                                         {"visited_at", "2026-12-10T09:40:00+07:00"},
                                         {"latitude", photo.value("latitude")},
                                         {"longitude", photo.value("longitude")}});
    FieldOffice::finish(*office.vino, office.taskVino, "compliant");

    // Evening: back online.
    const auto sent = vera.sync();
    CHECK(sent.filesSent == 5);
    CHECK(sent.filesWaiting == 0);
    office.vino->sync();
    const auto got = manager.sync();
    CHECK(got.filesFetched == 5);
    CHECK(got.filesWaiting == 0);

    const model::Record there = manager.store->get(office.taskVera);
    const model::Record here = vera.store->get(office.taskVera);
    for (const char* field : {"status", "result", "findings", "visited_at", "latitude", "longitude"})
    {
        INFO(field);
        CHECK(there.value(field) == here.value(field));
    }
    CHECK(model::parseFindings(there.value("findings")).items.size() == findings.items.size());
    CHECK_FALSE(findings.items.empty());
    for (const auto& f : files)
    {
        INFO(f.id);
        CHECK(model::sha256OfFile(sync::FileVault(office.server.options.fileDir).completePath(f.sha)) == f.sha);
        const std::string out = manager.dir.file(f.id + ".out");
        model::extractAttachment(*manager.store, f.id, out);
        CHECK(model::sha256OfFile(out) == f.sha);
        CHECK(manager.store->get(f.id).value("name") == vera.store->get(f.id).value("name"));
    }
    // Both visits in and compliant: the application moved on, alike everywhere.
    CHECK(office.status(manager) == "recommendation");
    office.syncAll();
    CHECK(office.status(vera) == "recommendation");
    CHECK(office.conflicts() == 0);
}

TEST_CASE("Verification on PostgreSQL: the last visit in moves the application", "[sync][verification][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: the verification move on PostgreSQL was not tested here");
        return;
    }
    test::ScratchDatabase db(admin);
    FieldOffice office(db.url);
    FieldOffice::finish(*office.vera, office.taskVera, "compliant");
    office.vera->sync();
    CHECK(office.server.store->value(office.app, "status") == std::string("field_verification"));
    FieldOffice::finish(*office.vino, office.taskVino, "non_compliant");
    office.vino->sync();
    CHECK(office.server.store->value(office.app, "status") == std::string("recommendation"));
    office.syncAll();
    CHECK(office.status(*office.manager) == "recommendation");
    CHECK(office.conflicts() == 0);
}
