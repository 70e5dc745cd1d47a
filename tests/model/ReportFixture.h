#pragma once

// A small office with known answers for the report and Excel tests.
//
// Period May 2021 (from 2021-05-01 to 2021-05-31). 13 and 14 May are Idul
// Fitri / Ascension Day, 26 May is Waisak; SIPB has an SLA of 5 working days
// and KKPR of 10. Times are 09:00 WIB unless said otherwise.
//
//  A1  SIPB 32.75.09 submitted 05-03, clock starts 05-05 (due 05-12), approved 05-11: on time
//  A2  SIPB 32.75.09 submitted 05-05, clock starts Fri 05-07 (due 05-18, across the holiday),
//      approved 05-19: late
//  A3  SIPB 32.75.01 same start, approved 05-17: on time only because of the holiday
//  A4  KKPR 32.75.01 submitted 05-03, clock starts 05-04 (due 05-20), still in field
//      verification: open and overdue
//  A5  SIPB 32.75.09 submitted 05-28, in document check, no due date: open
//  A6  SIPB 32.75.09 submitted 05-04, withdrawn 05-06: neither open nor finished
//  A7  KKPR 32.75.09 submitted 05-10, rejected 05-11 without a due date: on time
//  A8  SIPB 32.75.01 submitted 04-20, clock starts 04-21 (due 04-28), still open: open, overdue
//  A9  SIPB 32.75.09 submitted 04-26, clock starts 04-27 (due 05-04), approved 05-03 and
//      issued 05-05: finished on time once
//  A10 SIPB 32.75.09 submitted 05-25, clock starts 05-27 (due in June), approved 06-02: open
//  A11 SIPB submitted 05-06 then deleted; A12 a draft: neither counts
//
//  C1 whatsapp complaint "waktu" received 05-11 (due 05-20), responded 05-18: 3 working days
//  C2 whatsapp complaint "biaya" received 05-12 (due 05-21), responded 05-24: 6, late
//  C3 email consultation "informasi" received 05-20: not responded
//  C4 email complaint "waktu" received 05-28, responded 06-02: not responded by 05-31
//  C5 email complaint received 04-30: outside the period
//
//  Each move to field verification brings its task, assigned to the verifier
//  the file is assigned to with the move:
//  T1 verif.andi for A1 created 05-05 09:00, done 05-07 15:00 compliant (2.25 days)
//  T2 verif.andi for A2 created 05-07 09:00, done 05-10 09:00 non_compliant (3 days)
//  T3 verif.siti for A3 created 05-07 10:00, not visited
//  T4 verif.siti for A4 created 05-04 12:00, in progress
//  T5 verif.siti for A10 created 05-27 10:00, not visited
//  (and the clerk's tasks for A8 and A9, from April: outside the period)

#include "model/CaseStore.h"
#include "tests/model/StoreTestSupport.h"
#include "tests/support/TempDir.h"
#include "model/Database.h"
#include "model/Date.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <cstdint>
#include <string>

namespace berkas::test {

/// UNIX ms of @p day at @p hour:@p minute WIB (UTC+7).
inline std::int64_t wib(const model::Date& day, int hour = 9, int minute = 0)
{
    return (static_cast<std::int64_t>(day.toDays()) * 86400 + (hour - 7) * 3600 + minute * 60) * 1000;
}

inline model::Date may(int day)
{
    return model::Date(2021, 5, day);
}

/// A store with a fake clock; fill() makes the office described above.
struct ReportFixture
{
    ReportFixture() : store(options()) {}

    model::StoreOptions options()
    {
        model::StoreOptions o;
        o.dataDir = dir.file("data");
        o.clockMs = [this] { return clock; };
        o.deviceId = "device-report-test";
        o.user = "clerk.test";
        return o;
    }

    void at(const model::Date& day, int hour = 9, int minute = 0) { clock = wib(day, hour, minute); }

    std::string submit(const std::string& service, const std::string& kecamatan, const model::Date& day,
                       const std::string& name)
    {
        at(day);
        return store.create("application", {{"service_code", service},
                                            {"applicant_name", name},
                                            {"kecamatan", kecamatan},
                                            {"channel", "portal"},
                                            {"status", "submitted"}});
    }

    void move(const std::string& id, const std::string& status, const model::Date& day, int hour = 10)
    {
        at(day, hour);
        store.update(id, {{"status", status}});
        if (status == "document_check")
            tickChecklist(store, id);
    }

    /// Field verification at @p hour of @p day, assigned to @p verifier
    /// (empty: the clerk), which brings the verifier's task; returns its id.
    std::string toField(const std::string& id, const model::Date& day, int hour, const std::string& verifier = "")
    {
        at(day, hour);
        model::FieldMap changes = {{"status", "field_verification"}};
        if (!verifier.empty())
            changes["assigned_to"] = verifier;
        store.update(id, changes);
        model::ListQuery tasks;
        tasks.kind = "task";
        tasks.where = {{"application_id", id}};
        tasks.limit = 1;
        return store.list(tasks).front().id;
    }

    /// Document check on @p checkOn, then field verification (the SLA clock
    /// starts) on @p startOn; returns the task it brings.
    std::string startClock(const std::string& id, const model::Date& checkOn, const model::Date& startOn,
                           int hour = 11, const std::string& verifier = "")
    {
        move(id, "document_check", checkOn);
        return toField(id, startOn, hour, verifier);
    }

    std::string complaint(const std::string& channel, const std::string& kind, const std::string& category,
                          const model::Date& day)
    {
        at(day);
        return store.create("complaint", {{"kind", kind},
                                          {"channel", channel},
                                          {"complainant_name", "Warga " + category},
                                          {"subject", "Tanya " + category},
                                          {"category", category}});
    }

    void respond(const std::string& id, const model::Date& day)
    {
        at(day, 14);
        store.update(id, {{"status", "responded"}, {"response", "Sudah ditindaklanjuti."}});
    }

    void fill()
    {
        const std::string jatiasih = "32.75.09", timur = "32.75.01";
        a[8] = submit("SIPB", timur, model::Date(2021, 4, 20), "Delapan");
        startClock(a[8], model::Date(2021, 4, 20), model::Date(2021, 4, 21));
        a[9] = submit("SIPB", jatiasih, model::Date(2021, 4, 26), "Sembilan");
        startClock(a[9], model::Date(2021, 4, 26), model::Date(2021, 4, 27));
        complaint("email", "complaint", "waktu", model::Date(2021, 4, 30));

        a[1] = submit("SIPB", jatiasih, may(3), "Satu");
        a[4] = submit("KKPR", timur, may(3), "Empat");
        move(a[4], "document_check", may(3), 12);
        move(a[9], "approved", may(3), 15);
        t[4] = toField(a[4], may(4), 12, "verif.siti");
        a[6] = submit("SIPB", jatiasih, may(4), "Enam");
        t[1] = startClock(a[1], may(4), may(5), 9, "verif.andi");
        a[2] = submit("SIPB", jatiasih, may(5), "Dua");
        a[3] = submit("SIPB", timur, may(5), "Tiga");
        move(a[9], "issued", may(5), 16);
        move(a[6], "withdrawn", may(6));
        a[11] = submit("SIPB", jatiasih, may(6), "Sebelas");
        at(may(6), 12);
        store.remove(a[11]);
        t[2] = startClock(a[2], may(6), may(7), 9, "verif.andi");
        t[3] = startClock(a[3], may(6), may(7), 10, "verif.siti");
        move(t[1], "in_progress", may(6));
        at(may(7), 15);
        store.update(t[1], {{"status", "done"}, {"result", "compliant"}});
        move(t[4], "in_progress", may(7), 16);
        a[7] = submit("KKPR", jatiasih, may(10), "Tujuh");
        move(t[2], "in_progress", may(10), 8);
        at(may(10), 9);
        store.update(t[2], {{"status", "done"}, {"result", "non_compliant"}});
        move(a[1], "approved", may(11));
        move(a[7], "rejected", may(11));
        c[1] = complaint("whatsapp", "complaint", "waktu", may(11));
        c[2] = complaint("whatsapp", "complaint", "biaya", may(12));
        move(a[3], "approved", may(17));
        respond(c[1], may(18));
        move(a[2], "approved", may(19));
        c[3] = complaint("email", "consultation", "informasi", may(20));
        respond(c[2], may(24));
        a[10] = submit("SIPB", jatiasih, may(25), "Sepuluh");
        move(a[10], "document_check", may(25));
        t[5] = toField(a[10], may(27), 10, "verif.siti");
        a[5] = submit("SIPB", jatiasih, may(28), "Lima");
        move(a[5], "document_check", may(28), 11);
        c[4] = complaint("email", "complaint", "waktu", may(28));
        at(may(29));
        a[12] = store.create("application", {{"service_code", "SIPB"}, {"applicant_name", "Draf"},
                                             {"channel", "counter"}});
        move(a[10], "approved", model::Date(2021, 6, 2));
        respond(c[4], model::Date(2021, 6, 2));
    }

    /// COUNT(*) of @p sql with ?1 = from and ?2 = to (and ?3 when given).
    std::int64_t count(const std::string& sql, const model::Date& from, const model::Date& to,
                       const std::string& third = std::string())
    {
        model::Statement s(store.database(), sql);
        s.bind(1, from.toString()).bind(2, to.toString());
        if (!third.empty())
            s.bind(3, third);
        return s.step() ? s.integer(0) : -1;
    }

    TempDir dir;
    std::int64_t clock = wib(model::Date(2021, 4, 1));
    model::CaseStore store;
    std::string a[13];
    std::string c[5];
    std::string t[6];
};

/// Independent SQL for the application figures, written differently from
/// model/Report.cpp (correlated subqueries and json_extract instead of a
/// temporary table): ?1 from, ?2 to, ?3 the group value.
namespace sql {

// The office date of the first audit line moving the application to one of
// @p statuses. A line is [field, old, new], or [field, new] with no old value.
#define BERKAS_TEST_FIRST(statuses)                                                                            \
    "(SELECT MIN(substr(au.at, 1, 10)) FROM audit au, json_each(au.changes) j WHERE au.record_id = a.id "      \
    "AND json_extract(j.value, '$[0]') = 'status' AND json_extract(j.value, '$[#-1]') IN " statuses ")"
#define BERKAS_TEST_DONE BERKAS_TEST_FIRST("('approved', 'rejected', 'issued')")
#define BERKAS_TEST_GONE BERKAS_TEST_FIRST("('withdrawn')")
#define BERKAS_TEST_OPEN                                                                                       \
    "substr(a.submitted_at, 1, 10) <= ?2 AND COALESCE(" BERKAS_TEST_DONE ", '9999') > ?2 AND COALESCE("       \
    BERKAS_TEST_GONE ", '9999') > ?2"

inline std::string apps(const std::string& condition, const std::string& group = std::string())
{
    return "SELECT COUNT(*) FROM application a WHERE a.deleted = 0 AND a.submitted_at IS NOT NULL AND (" +
           condition + ")" + (group.empty() ? "" : " AND a." + group + " = ?3");
}
inline const std::string kReceived = "substr(a.submitted_at, 1, 10) BETWEEN ?1 AND ?2";
inline const std::string kFinished = BERKAS_TEST_DONE " BETWEEN ?1 AND ?2";
inline const std::string kOnTime =
    BERKAS_TEST_DONE " BETWEEN ?1 AND ?2 AND (a.due_date IS NULL OR " BERKAS_TEST_DONE " <= a.due_date)";
inline const std::string kLate = BERKAS_TEST_DONE " BETWEEN ?1 AND ?2 AND " BERKAS_TEST_DONE " > a.due_date";
inline const std::string kOpen = BERKAS_TEST_OPEN;
inline const std::string kOverdue = BERKAS_TEST_OPEN " AND a.due_date < ?2";

#undef BERKAS_TEST_FIRST
#undef BERKAS_TEST_DONE
#undef BERKAS_TEST_GONE
#undef BERKAS_TEST_OPEN

inline const std::string kComplaintsReceived =
    "SELECT COUNT(*) FROM complaint WHERE deleted = 0 AND date(substr(received_at, 1, 10)) BETWEEN ?1 AND ?2";
inline const std::string kComplaintsResponded = kComplaintsReceived + " AND substr(responded_at, 1, 10) <= ?2";
inline const std::string kComplaintsWithinDue =
    kComplaintsResponded + " AND (due_date IS NULL OR substr(responded_at, 1, 10) <= due_date)";

} // namespace sql

} // namespace berkas::test
