// The central office's calendar as data (model/OfficeCalendar.h):
// suspensions that close counters and pause SLA clocks, collective leave,
// regional days and revisions, at the first and last day of a period and
// across an extension.
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/ServiceCatalog.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

using namespace berkas;
using namespace berkas::test;
using model::CaseStore;
using model::Date;

namespace {

// Synthetic NIK: Jatiasih (32.75.09), born 1 January 1990.
const std::string kNik = "3275090101900001";
const std::string kMpp = "MPP Kota Bekasi";

/// A suspension of counter intake at the MPP, 7 to 11 June 2021 (Monday to
/// Friday), exempting health services, and its extension to 18 June, which
/// says nothing of counters, steps or exemptions and so keeps them.
struct Suspended
{
    std::string first;
    std::string extension;

    explicit Suspended(CaseStore& store)
    {
        store.setSetting("role", "admin");
        first = store.create("suspension", {{"instrument", "Instruksi Wali Kota Contoh"},
                                            {"number", "01/SUSP/2021"},
                                            {"region", "32.75"},
                                            {"date_from", "2021-06-07"},
                                            {"date_to", "2021-06-11"},
                                            {"locations", kMpp},
                                            {"steps", "counter_intake;consultation"},
                                            {"exempt_services", "health"},
                                            {"channels", "Portal dan call center"}});
        extension = store.create("suspension", {{"instrument", "Perpanjangan Instruksi Wali Kota Contoh"},
                                                {"number", "02/SUSP/2021"},
                                                {"region", "32.75"},
                                                {"date_from", "2021-06-14"},
                                                {"date_to", "2021-06-18"},
                                                {"extends", first}});
        store.setSetting("role", "clerk");
    }
};

std::string book(CaseStore& store, const std::string& service, const std::string& location, const std::string& day)
{
    return store.create("booking", {{"service_code", service},
                                    {"location", location},
                                    {"date", day},
                                    {"slot", "09:00"},
                                    {"applicant_name", "Dewi Anggraini"},
                                    {"nik", kNik}});
}

/// An application of @p service in @p kecamatan whose SLA clock starts today.
std::string clockStarted(CaseStore& store, const std::string& kecamatan = "32.75.09",
                         const std::string& service = "PBG")
{
    const std::string id = inDocumentCheck(store, kecamatan, service);
    tickChecklist(store, id);
    store.update(id, {{"status", "recommendation"}});
    return id;
}

} // namespace

TEST_CASE("Suspension: the counter takes no booking from the first to the last day and across an extension",
          "[model][store][suspension]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const Suspended s(store);
    const std::string closedFirst = "date: the counter MPP Kota Bekasi is closed by Instruksi Wali Kota Contoh "
                                    "01/SUSP/2021 from 2021-06-07 to 2021-06-11";
    const std::string closedExtension = "date: the counter MPP Kota Bekasi is closed by Perpanjangan Instruksi Wali "
                                        "Kota Contoh 02/SUSP/2021 from 2021-06-14 to 2021-06-18";

    CHECK_NOTHROW(book(store, "PBG", kMpp, "2021-06-04")); // the Friday before
    for (const std::string day : {"2021-06-07", "2021-06-09", "2021-06-11"})
    {
        const auto seq = maxOutboxSeq(store.database());
        CHECK(errorOf([&] { book(store, "PBG", kMpp, day); }) == closedFirst);
        CHECK(maxOutboxSeq(store.database()) == seq); // nothing written
    }
    for (const std::string day : {"2021-06-14", "2021-06-18"})
        CHECK(errorOf([&] { book(store, "PBG", kMpp, day); }) == closedExtension);
    CHECK_NOTHROW(book(store, "PBG", kMpp, "2021-06-21")); // the Monday after

    // Another counter, and a health service, are not closed; the extension
    // keeps the first instruction's counters and exemptions.
    CHECK_NOTHROW(book(store, "PBG", "Kecamatan Jatiasih", "2021-06-08"));
    CHECK_NOTHROW(book(store, "PBG", "Kecamatan Jatiasih", "2021-06-15"));
    CHECK_NOTHROW(book(store, "SIPD", kMpp, "2021-06-08"));
    CHECK_NOTHROW(book(store, "SIPD", kMpp, "2021-06-16"));

    // Moving a booking into the period is refused the same way.
    const std::string moved = book(store, "PBG", kMpp, "2021-06-22");
    CHECK(errorOf([&] { store.update(moved, {{"date", "2021-06-10"}}); }) == closedFirst);
    CHECK(store.get(moved).value("date") == "2021-06-22");

    // Lifted early: the administrator ends the extension on 15 June.
    store.setSetting("role", "admin");
    store.update(s.extension, {{"date_to", "2021-06-15"}});
    CHECK_NOTHROW(book(store, "PBG", kMpp, "2021-06-16"));
    CHECK(errorOf([&] { book(store, "PBG", kMpp, "2021-06-15"); }) ==
          "date: the counter MPP Kota Bekasi is closed by Perpanjangan Instruksi Wali Kota Contoh 02/SUSP/2021 from "
          "2021-06-14 to 2021-06-15");
    checkInvariants(store);
}

TEST_CASE("Suspension: the SLA clock pauses while counter intake is suspended, and the application says why",
          "[model][store][suspension]")
{
    StoreFixture f;
    f.clock.set(wibMs(Date(2021, 6, 4), 9)); // a Friday
    CaseStore& store = *f.store;
    // PBG: 15 working days. From Friday 4 June: 7-11, 14-18, 21-25 June.
    const std::string before = clockStarted(store);
    CHECK(store.get(before).value("sla_started") == "2021-06-04");
    CHECK(store.get(before).value("due_date") == "2021-06-25");
    CHECK(model::slaPauses(store, store.get(before)).empty());

    const Suspended s(store);
    // Ten working days suspended (7-18 June): due 9 July.
    const std::string during = clockStarted(store);
    CHECK(store.get(during).value("due_date") == "2021-07-09");
    const auto why = model::slaPauses(store, store.get(during));
    REQUIRE(why.size() == 2);
    CHECK(why[0].title() == "Instruksi Wali Kota Contoh 01/SUSP/2021");
    CHECK(why[1].title() == "Perpanjangan Instruksi Wali Kota Contoh 02/SUSP/2021");

    // Outside the suspension's region, or for an exempt service, nothing pauses.
    CHECK(store.get(clockStarted(store, "51.02.01")).value("due_date") == "2021-06-25");
    const std::string health = clockStarted(store, "32.75.09", "SIPD"); // 9 working days
    CHECK(store.get(health).value("due_date") == "2021-06-17");
    CHECK(model::slaPauses(store, store.get(health)).empty());
    checkInvariants(store);
}

TEST_CASE("Calendar: collective leave and a kab/kota's regional day move due dates, a revision takes a day back",
          "[model][store][calendar]")
{
    StoreFixture f;
    f.clock.set(wibMs(Date(2021, 6, 4), 9));
    CaseStore& store = *f.store;
    store.setSetting("role", "admin");
    store.create("calendar_day", {{"date", "2021-06-07"}, {"name", "Cuti bersama (contoh)"}, {"kind", "cuti_bersama"}});
    store.create("calendar_day",
                 {{"date", "2021-06-08"}, {"name", "Hari raya daerah (contoh)"}, {"kind", "regional"}, {"region", "51.02"}});
    store.setSetting("role", "clerk");

    // Bekasi loses the collective leave day, Tabanan that and its own day.
    CHECK(store.get(clockStarted(store, "32.75.09")).value("due_date") == "2021-06-28");
    CHECK(store.get(clockStarted(store, "51.02.01")).value("due_date") == "2021-06-29");
    CHECK_FALSE(store.officeCalendar().holidays("51.02.01").isWorkingDay(Date(2021, 6, 8)));
    CHECK(store.officeCalendar().holidays("32.75.09").isWorkingDay(Date(2021, 6, 8)));

    // The government moves a shipped holiday: 1 June becomes a working day.
    CHECK_FALSE(store.officeCalendar().holidays("32.75.09").isWorkingDay(Date(2021, 6, 1)));
    store.setSetting("role", "admin");
    store.create("calendar_day", {{"date", "2021-06-01"}, {"name", "Revisi (contoh)"}, {"kind", "working_day"}});
    CHECK(store.officeCalendar().holidays("32.75.09").isWorkingDay(Date(2021, 6, 1)));
    // Counters follow: a booking on the collective leave day is refused.
    store.setSetting("role", "clerk");
    CHECK(errorOf([&] { book(store, "PBG", kMpp, "2021-06-07"); }) ==
          "date: 2021-06-07 is not a working day of the office (a weekend or holiday)");
    checkInvariants(store);
}

TEST_CASE("Suspension: bad input is refused naming the field and the rule, and nothing is written",
          "[model][store][suspension]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const model::FieldMap good = {{"instrument", "Instruksi Contoh"}, {"date_from", "2021-06-07"},
                                  {"date_to", "2021-06-11"}, {"steps", "counter_intake"}};
    const auto with = [&](const std::string& field, const std::string& value) {
        model::FieldMap m = good;
        m[field] = value;
        return m;
    };
    const auto seq = maxOutboxSeq(store.database());
    store.setSetting("role", "clerk");
    CHECK(errorOf([&] { store.create("suspension", good); }) ==
          "suspension: only an administrator changes suspensions and the office calendar, not a clerk");
    store.setSetting("role", "admin");
    CHECK(errorOf([&] { store.create("suspension", with("date_to", "2021-06-01")); }) ==
          "date_to: must not be before date_from (2021-06-07), got 2021-06-01");
    CHECK(errorOf([&] { store.create("suspension", with("steps", "counter_intake;lunch")); }) ==
          "steps: must be one of counter_intake, field_verification, consultation, oss_assistance, got \"lunch\"");
    CHECK(errorOf([&] { store.create("suspension", with("date_from", "2021-02-30")); }) ==
          "date_from: 2021-02-30 is not a real date");
    CHECK(errorOf([&] {
              store.create("calendar_day", {{"date", "2021-06-08"}, {"kind", "regional"}});
          }) == "region: is required for a regional day (the kab/kota code, e.g. 51.02)");
    CHECK(maxOutboxSeq(store.database()) == seq);
    // An update that reverses the period is refused too.
    const std::string id = store.create("suspension", good);
    CHECK(errorOf([&] { store.update(id, {{"date_from", "2021-06-30"}}); }) ==
          "date_to: must not be before date_from (2021-06-30), got 2021-06-11");
    CHECK(store.get(id).value("date_from") == "2021-06-07");
}
