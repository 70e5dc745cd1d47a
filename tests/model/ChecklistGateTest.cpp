// The checklist gates an application leaving document_check: every item
// ticked, or a manager's reason; and checklist items that hold only while an
// instrument does (requirements-dated.csv).
#include "model/CaseStore.h"
#include "model/Error.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace berkas;
using namespace berkas::test;
using model::CaseStore;
using model::Date;
using model::FieldMap;

namespace {

std::vector<model::Record> itemsOf(CaseStore& store, const std::string& id)
{
    model::ListQuery q;
    q.kind = "requirement";
    q.where = {{"application_id", id}};
    return store.list(q);
}

std::vector<std::string> itemNames(CaseStore& store, const std::string& id)
{
    std::vector<std::string> out;
    for (const auto& r : itemsOf(store, id))
        out.push_back(r.value("requirement"));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("Checklist: an application leaves document_check forward only with every item ticked",
          "[model][store][checklist]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string id = inDocumentCheck(store);
    const auto items = itemsOf(store, id);
    REQUIRE(items.size() == 6); // PBG's six documents

    for (const std::string to : {"field_verification", "recommendation", "approved"})
    {
        const auto seq = maxOutboxSeq(store.database());
        CHECK(errorOf([&] { store.update(id, {{"status", to}}); }) ==
              "status: cannot move to " + to +
                  ": checklist items not ticked: 6 (first: Fotokopi KTP pemohon); tick them, or a manager overrides "
                  "with a reason (checklist_override)");
        CHECK(maxOutboxSeq(store.database()) == seq); // nothing written
        CHECK(store.get(id).value("status") == "document_check");
    }
    // Five of six is not enough.
    for (std::size_t i = 0; i + 1 < items.size(); ++i)
        store.update(items[i].id, {{"fulfilled", "1"}});
    CHECK_THROWS_WITH(store.update(id, {{"status", "field_verification"}}),
                      Catch::Contains("checklist items not ticked: 1"));
    // An item removed from the checklist no longer counts.
    store.update(items.back().id, {{"deleted", "1"}});
    store.update(id, {{"status", "field_verification"}});
    CHECK(store.get(id).value("status") == "field_verification");
    checkInvariants(store);
}

TEST_CASE("Checklist: rejecting, withdrawing or returning a file needs no ticks", "[model][store][checklist]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    for (const std::string to : {"rejected", "withdrawn", "submitted"})
    {
        const std::string id = inDocumentCheck(store);
        store.update(id, {{"status", to}});
        CHECK(store.get(id).value("status") == to);
    }
}

TEST_CASE("Checklist: a manager lets a file pass with a reason kept in the audit trail, nobody else may",
          "[model][store][checklist]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string id = inDocumentCheck(store);
    const std::string reason = "Dokumen asli diperlihatkan di loket; salinan menyusul";

    SECTION("a clerk, or a laptop that knows no role, may not override")
    {
        for (const std::string role : {"clerk", "verifier", ""})
        {
            store.setSetting("role", role);
            const auto seq = maxOutboxSeq(store.database());
            const std::string why = errorOf([&] {
                store.update(id, {{"status", "field_verification"}, {"checklist_override", reason}});
            });
            CHECK(why.rfind("checklist_override: only a manager may override the checklist", 0) == 0);
            CHECK(maxOutboxSeq(store.database()) == seq);
            CHECK(store.get(id).value("checklist_override").empty());
        }
    }
    SECTION("a manager's override moves the file on once")
    {
        store.setSetting("role", "manager");
        store.update(id, {{"status", "field_verification"}, {"checklist_override", reason}});
        CHECK(store.get(id).value("status") == "field_verification");
        CHECK(store.get(id).value("checklist_override") == reason);
        const auto history = store.history(id);
        const auto line = std::find_if(history.begin(), history.end(), [](const model::AuditLine& l) {
            return l.field == "checklist_override";
        });
        REQUIRE(line != history.end());
        CHECK(line->newValue == reason);
        CHECK(line->user == "clerk.test");

        // Back to document_check: the override is spent, the gate holds again.
        store.update(id, {{"status", "document_check"}});
        CHECK(store.get(id).value("checklist_override").empty());
        CHECK_THROWS_WITH(store.update(id, {{"status", "recommendation"}}),
                          Catch::Contains("checklist items not ticked: 6"));
        tickChecklist(store, id);
        store.update(id, {{"status", "recommendation"}});
        CHECK(store.get(id).value("status") == "recommendation");
        checkInvariants(store);
    }
    SECTION("an override given while in document_check holds for the next move")
    {
        store.setSetting("role", "manager");
        store.update(id, {{"checklist_override", reason}});
        store.setSetting("role", "clerk");
        store.update(id, {{"status", "approved"}});
        CHECK(store.get(id).value("status") == "approved");
    }
}

TEST_CASE("Checklist: a dated requirement joins the checklist of new applications in its region while it holds",
          "[model][store][checklist]")
{
    // requirements-dated.csv: Kota Bekasi (32.75) asks for proof of COVID-19
    // vaccination from 9 September 2021, Kabupaten Tabanan (51.02) a
    // PeduliLindungi status from 22 September 2021.
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string vaccination =
        "Bukti vaksinasi COVID-19 (aplikasi PeduliLindungi) (Surat Edaran Wali Kota Bekasi 440/1395/SET.COVID-19)";
    const auto has = [&](const std::string& id, const std::string& item) {
        const auto names = itemNames(store, id);
        return std::find(names.begin(), names.end(), item) != names.end();
    };

    f.clock.set(wibMs(Date(2021, 9, 8), 15)); // the day before
    const std::string before = inDocumentCheck(store);
    CHECK(itemsOf(store, before).size() == 6);
    CHECK_FALSE(has(before, vaccination));

    f.clock.set(wibMs(Date(2021, 9, 9), 8)); // its first day
    const std::string first = inDocumentCheck(store);
    CHECK(itemsOf(store, first).size() == 7);
    CHECK(has(first, vaccination));
    // It gates like any other item.
    for (const auto& item : itemsOf(store, first))
        if (item.value("requirement") != vaccination)
            store.update(item.id, {{"fulfilled", "1"}});
    CHECK_THROWS_WITH(store.update(first, {{"status", "field_verification"}}),
                      Catch::Contains("(first: " + vaccination + ")"));

    // Another region: not asked in Denpasar (51.71), Tabanan's own from 22 September.
    const std::string denpasar = inDocumentCheck(store, "51.71.01");
    CHECK(itemsOf(store, denpasar).size() == 6);
    f.clock.set(wibMs(Date(2021, 9, 22), 9));
    const std::string tabanan = inDocumentCheck(store, "51.02.01");
    CHECK(itemsOf(store, tabanan).size() == 7);
    CHECK_FALSE(has(tabanan, vaccination));
}
