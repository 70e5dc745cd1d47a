// The verifier's day through a real server: an application sent to the
// field, its visits finished on two verifiers' laptops that never see each
// other's task, and the one move the central office makes when the last
// visit is in, taken alike by every laptop.
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
