#include "tests/desktop/gui/GuiFixture.h"

#include "desktop/ConflictPanel.h"
#include "desktop/Language.h"
#include "desktop/ListPanel.h"
#include "desktop/RecordEditor.h"
#include "desktop/UiText.h"
#include "model/Conflict.h"
#include "model/RefusedChanges.h"
#include "model/Workflow.h"

#include <wx/button.h>
#include <wx/checklst.h>

#include <catch2/catch.hpp>

using namespace berkas;
using berkas::test::FrameFixture;
using berkas::test::click;
using berkas::test::pumpEvents;

namespace {

desktop::RecordEditor* newApplication(desktop::MainFrame& frame, const std::string& name, const std::string& nik)
{
    auto* editor = frame.openRecord("application", "");
    editor->typeInto("service_code", "SIPD");
    editor->typeInto("applicant_name", name);
    editor->typeInto("nik", nik);
    editor->typeInto("phone", "0812 3456 7890");
    editor->typeInto("kecamatan", "32.75.09");
    return editor;
}

std::int64_t countOf(model::CaseStore& store, const std::string& kind,
                     std::vector<std::pair<std::string, std::string>> where = {})
{
    model::ListQuery q;
    q.kind = kind;
    q.where = std::move(where);
    return store.count(q);
}

} // namespace

TEST_CASE("RecordEditor: an application created through the editor is stored and listed", "[gui][editor]")
{
    FrameFixture f;
    auto& store = f.frame->store();
    auto* list = f.frame->listPanel(desktop::MainFrame::kApplications);
    const auto before = list->pager().count();

    auto* editor = newApplication(*f.frame, "Siti Aminah", test::kValidNik);
    CHECK(editor->fieldError("nik").empty());
    CHECK(editor->dirty());
    click(editor->saveButton());

    REQUIRE_FALSE(editor->recordId().empty());
    const model::Record r = store.get(editor->recordId());
    CHECK(r.value("applicant_name") == "Siti Aminah");
    CHECK(r.value("phone") == "+6281234567890");
    CHECK(r.value("status") == "draft");
    CHECK_FALSE(r.value("provisional_no").empty());
    CHECK_FALSE(editor->dirty());
    CHECK(list->pager().count() == before + 1);
    CHECK(list->listModel().GetCount() == static_cast<unsigned>(before + 1));
    // The service's requirements became a checklist.
    REQUIRE(editor->checklist());
    CHECK(editor->checklist()->GetCount() > 0);
    CHECK(editor->historyLines() > 0);
    editor->Destroy();
}

TEST_CASE("RecordEditor: an invalid NIK is refused with the message shown", "[gui][editor][validation]")
{
    FrameFixture f;
    auto& store = f.frame->store();
    const auto before = countOf(store, "application");

    SECTION("in English")
    {
        auto* editor = newApplication(*f.frame, "Budi Santoso", "327509410190");
        CHECK(editor->fieldError("nik") == "must be 16 digits, got 12");
        click(editor->saveButton());
        CHECK(editor->recordId().empty());
        CHECK(editor->message() == "Please correct the fields marked in red.");
        CHECK(countOf(store, "application") == before);

        // Fixing the value clears the message as the user types.
        editor->typeInto("nik", test::kValidNik);
        CHECK(editor->fieldError("nik").empty());
        editor->askSaveChanges = [] { return wxNO; };
        CHECK(editor->closeEditor());
    }
    SECTION("in Indonesian")
    {
        desktop::setInterfaceLanguage("id", wxTheApp->argv[0].ToStdString());
        auto* editor = newApplication(*f.frame, "Budi Santoso", "327509410190");
        CHECK(editor->fieldError("nik") == wxString::FromUTF8("harus 16 digit, tertulis 12"));
        CHECK_FALSE(editor->save());
        CHECK(countOf(store, "application") == before);
        editor->askSaveChanges = [] { return wxNO; };
        editor->closeEditor();
        desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
    }
    pumpEvents();
}

TEST_CASE("RecordEditor: unsaved changes are asked about before closing", "[gui][editor]")
{
    FrameFixture f;
    auto* editor = newApplication(*f.frame, "Rina Wati", test::kValidNik);
    int asked = 0;
    editor->askSaveChanges = [&] {
        ++asked;
        return wxCANCEL;
    };
    CHECK_FALSE(editor->closeEditor());
    CHECK(asked == 1);
    editor->askSaveChanges = [&] {
        ++asked;
        return wxYES;
    };
    CHECK(editor->closeEditor());
    CHECK(asked == 2);
    CHECK(countOf(f.frame->store(), "application", {{"applicant_name", "Rina Wati"}}) == 1);
    pumpEvents();
}

TEST_CASE("RecordEditor: an application moves through the workflow with its buttons", "[gui][editor][workflow]")
{
    FrameFixture f;
    auto& store = f.frame->store();
    auto* editor = newApplication(*f.frame, "Agus Salim", test::kValidNik);
    REQUIRE(editor->save());
    const std::string id = editor->recordId();

    CHECK(editor->offeredMoves() == model::allowedMoves("application", "draft"));
    CHECK_FALSE(editor->moveButton("approved"));

    click(editor->moveButton("submitted"));
    CHECK(store.get(id).value("status") == "submitted");
    CHECK_FALSE(store.get(id).value("submitted_at").empty());
    CHECK(editor->offeredMoves() == model::allowedMoves("application", "submitted"));

    click(editor->moveButton("document_check"));
    CHECK(store.get(id).value("status") == "document_check");

    // Tick the checklist as a clerk does.
    for (unsigned i = 0; i < editor->checklist()->GetCount(); ++i)
        editor->setRequirement(i, true);
    for (unsigned i = 0; i < editor->checklist()->GetCount(); ++i)
        CHECK(editor->checklist()->IsChecked(i));

    // Sending to the field creates the verifier's task.
    click(editor->moveButton("field_verification"));
    CHECK(store.get(id).value("status") == "field_verification");
    CHECK_FALSE(store.get(id).value("due_date").empty());
    CHECK(countOf(store, "task", {{"application_id", id}}) == 1);

    click(editor->moveButton("approved"));
    click(editor->moveButton("issued"));
    CHECK(store.get(id).value("status") == "issued");
    CHECK(editor->offeredMoves().empty());

    CHECK(editor->addNote("Izin diambil oleh pemohon."));
    CHECK(editor->historyLines() > 5);
    editor->Destroy();
    pumpEvents();
}

TEST_CASE("RecordEditor: the checklist gates the move out of document_check, a manager gives a reason",
          "[gui][editor][workflow][checklist]")
{
    FrameFixture f;
    auto& store = f.frame->store();
    auto* editor = newApplication(*f.frame, "Dewi Anggraini", test::kValidNik);
    REQUIRE(editor->save());
    const std::string id = editor->recordId();
    click(editor->moveButton("submitted"));
    click(editor->moveButton("document_check"));
    int asked = 0;
    wxString reason;
    editor->askOverrideReason = [&](const wxString&) {
        ++asked;
        return reason;
    };

    // A clerk is told why, and the file stays.
    store.setSetting("role", "clerk");
    click(editor->moveButton("field_verification"));
    CHECK(store.get(id).value("status") == "document_check");
    CHECK(asked == 0);
    INFO(editor->message().utf8_string());
    CHECK(editor->message().StartsWith("status: cannot move to field_verification: checklist items not ticked: 5"));

    // A manager is asked for a reason; cancelling moves nothing.
    store.setSetting("role", "manager");
    click(editor->moveButton("field_verification"));
    CHECK(asked == 1);
    CHECK(store.get(id).value("status") == "document_check");

    reason = "Berkas asli sudah diperiksa di loket kecamatan";
    click(editor->moveButton("field_verification"));
    CHECK(asked == 2);
    CHECK(store.get(id).value("status") == "field_verification");
    CHECK(store.get(id).value("checklist_override") == reason.utf8_string());
    CHECK(countOf(store, "task", {{"application_id", id}}) == 1);
    editor->Destroy();
    pumpEvents();
}

TEST_CASE("ConflictPanel: a conflict is shown side by side and resolved", "[gui][conflict]")
{
    FrameFixture f;
    auto& store = f.frame->store();
    const std::string appId = store.create("application", {{"service_code", "SIPD"},
                                                            {"applicant_name", "Dewi Lestari"},
                                                            {"phone", "081234567890"},
                                                            {"channel", "counter"}});
    // A conflict as the merge leaves it: this laptop's phone number kept,
    // the other device's number beside it.
    const auto makeConflict = [&](const std::string& id) {
        model::Transaction tx(store.database());
        const auto now = store.hlcNow();
        const std::vector<std::pair<std::string, std::optional<std::string>>> fields = {
            {"record_kind", "application"},
            {"record_id", appId},
            {"field", "phone"},
            {"kept_value", "+6281234567890"},
            {"other_value", "+6285711112222"},
            {"kept_stamp", std::to_string(now) + "@" + store.deviceId()},
            {"other_stamp", std::to_string(now - 5) + "@other-device"},
            {"kept_user", "clerk1"},
            {"other_user", "clerk2"},
            {"kept_at", "2026-11-20T09:00:00+07:00"},
            {"other_at", "2026-11-20T09:05:00+07:00"},
            {"needs_review", "0"},
            {"status", "open"}};
        store.writeReplicated("conflict", id, fields, std::vector<model::Stamp>(fields.size(), {now, "server"}), "server");
        tx.commit();
    };

    makeConflict("01900000-0000-7000-8000-000000000001");
    auto* panel = f.frame->conflictPanel();
    panel->reload();
    REQUIRE(panel->conflictCount() == 1);

    SECTION("keep theirs")
    {
        panel->select(0);
        CHECK(panel->resolve("remote"));
        CHECK(store.get(appId).value("phone") == "+6285711112222");
        CHECK(panel->conflictCount() == 0);
    }
    SECTION("type a new value")
    {
        panel->select(0);
        CHECK(panel->resolve("value", "+6289900001111"));
        CHECK(store.get(appId).value("phone") == "+6289900001111");
        CHECK(panel->conflictCount() == 0);
    }
    SECTION("keep mine")
    {
        panel->select(0);
        CHECK(panel->resolve("local"));
        CHECK(store.get(appId).value("phone") == "+6281234567890");
        CHECK(store.get("01900000-0000-7000-8000-000000000001").value("status") == "resolved");
    }
    CHECK(f.frame->statusText(4) == "Conflicts: 0");
}

TEST_CASE("ConflictPanel: when neither value is this laptop's, Mine is the value it shows", "[gui][conflict]")
{
    FrameFixture f;
    auto& store = f.frame->store();
    const std::string appId = store.create("application", {{"service_code", "SIPD"},
                                                            {"applicant_name", "Dewi Lestari"},
                                                            {"phone", "081234567890"},
                                                            {"channel", "counter"}});
    // Two other devices changed the number at once; a later edit elsewhere
    // put the number set aside back, and this laptop shows it.
    model::Conflict c;
    c.id = "01900000-0000-7000-8000-000000000003";
    c.recordKind = "application";
    c.recordId = appId;
    c.field = "phone";
    c.keptValue = "+6281111111111";
    c.otherValue = "+6285711112222";
    {
        model::Transaction tx(store.database());
        const auto now = store.hlcNow();
        c.keptStamp = {now - 10, "device-of-siti"};
        c.otherStamp = {now - 20, "device-of-budi"};
        c.keptUser = "siti";
        c.otherUser = "budi";
        const auto fields = c.toFields();
        store.writeReplicated("conflict", c.id, fields, std::vector<model::Stamp>(fields.size(), {now, "server"}),
                              "server");
        store.writeReplicated("application", appId, {{"phone", c.otherValue}}, {model::Stamp{now + 1, "device-of-budi"}},
                              "budi");
        tx.commit();
    }
    auto* panel = f.frame->conflictPanel();
    panel->reload();
    REQUIRE(panel->conflictCount() == 1);
    panel->select(0);
    // Mine is the number shown, as "Keep mine" keeps it; theirs is the kept one.
    const wxString text = panel->shownText();
    REQUIRE(text.Find("+6285711112222") != wxNOT_FOUND);
    REQUIRE(text.Find("+6281111111111") != wxNOT_FOUND);
    CHECK(text.Find("+6285711112222") < text.Find("+6281111111111"));
    CHECK(panel->resolve("local"));
    CHECK(store.get(appId).value("phone") == "+6285711112222");
    CHECK(store.get(c.id).value("resolution") == "kept local: +6285711112222");
}

TEST_CASE("ConflictPanel: a change the central office refused is shown with its reason and settled",
          "[gui][conflict][refusal]")
{
    FrameFixture f;
    auto& store = f.frame->store();
    const std::string appId = store.create("application", {{"service_code", "SIPD"},
                                                            {"applicant_name", "Dewi Lestari"},
                                                            {"kecamatan", "32.75.09"},
                                                            {"channel", "counter"}});
    const auto serverStamp = store.fieldStamp(store.get(appId), "kecamatan");
    store.update(appId, {{"kecamatan", "32.75.01"}});
    // The answer of a push that refused the move, as SyncClient takes it.
    model::RefusedChange refused;
    for (const auto& e : store.outbox(100))
        if (e.recordId == appId && e.field == "kecamatan" && e.value == std::string("32.75.01"))
            refused.entry = e;
    refused.code = "out_of_scope";
    refused.reason = "this change would put the application outside your scope (kecamatan 32.75.09)";
    refused.held = true;
    refused.serverValue = "32.75.09";
    refused.serverStamp = serverStamp;
    refused.serverUser = "siti";
    store.inBatch([&] { model::RefusedChanges(store).apply(refused); });
    CHECK(store.get(appId).value("kecamatan") == "32.75.09");

    auto* panel = f.frame->conflictPanel();
    panel->reload();
    REQUIRE(panel->conflictCount() == 1);
    panel->select(0);
    CHECK(panel->shownText().Contains("refused your change"));
    CHECK(panel->shownText().Contains("outside what your role may change"));
    CHECK(panel->shownText().Contains("32.75.01"));

    SECTION("in Indonesian")
    {
        desktop::setInterfaceLanguage("id", wxTheApp->argv[0].ToStdString());
        panel->reload();
        panel->select(0);
        CHECK(panel->shownText().Contains(wxString::FromUTF8("kantor pusat menolak perubahan Anda")));
        CHECK(panel->shownText().Contains(wxString::FromUTF8("di luar yang boleh diubah oleh peran Anda")));
        desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
    }
    SECTION("keeping the office's value dismisses it")
    {
        CHECK(panel->resolve("remote"));
        CHECK(panel->conflictCount() == 0);
        CHECK(store.get(appId).value("kecamatan") == "32.75.09");
    }
    SECTION("a new value is an ordinary edit")
    {
        CHECK(panel->resolve("value", "32.75.09"));
        CHECK(panel->conflictCount() == 0);
    }
    pumpEvents();
}

TEST_CASE("UiText: a problem reads as the model's sentence in English and is translated by its code",
          "[gui][validation]")
{
    using model::ProblemCode;
    std::vector<model::FieldProblem> problems;
    for (int code = static_cast<int>(ProblemCode::Empty); code <= static_cast<int>(ProblemCode::RecordDeleted); ++code)
        problems.emplace_back("field", model::Problem{static_cast<ProblemCode>(code), {"a", "b", "c", "d"}});
    problems.emplace_back("nik", model::Problem{ProblemCode::DigitCount, {"16", "12"}});
    problems.emplace_back("status", model::Problem{ProblemCode::FirstStatus, {"task", "", "assigned"}});
    problems.emplace_back("date", model::Problem{ProblemCode::ServiceSuspended, {"SIPB", "2021-07-03", "", "Inmendagri"}});

    SECTION("in English, the window says what the command line says")
    {
        for (const auto& p : problems)
        {
            CAPTURE(static_cast<int>(p.code));
            // Except where the window has its own way: dates as it shows them,
            // and phone numbers as it has always said it.
            if (p.code == ProblemCode::DateForm)
                CHECK(desktop::translateProblem(p) == "must be a date dd/mm/yyyy");
            else if (p.code == ProblemCode::PhoneCharacters)
                CHECK(desktop::translateProblem(p) == "must contain only digits");
            else
                CHECK(desktop::translateProblem(p) == wxString::FromUTF8(p.message().c_str()));
        }
    }
    SECTION("in Indonesian, every code has its translation")
    {
        desktop::setInterfaceLanguage("id", wxTheApp->argv[0].ToStdString());
        for (const auto& p : problems)
        {
            CAPTURE(static_cast<int>(p.code));
            CHECK(desktop::translateProblem(p) != wxString::FromUTF8(p.message().c_str()));
        }
        CHECK(desktop::translateProblem(problems[problems.size() - 3]) ==
              wxString::FromUTF8("harus 16 digit, tertulis 12"));
        const model::ValidationError refused(
            {"status", model::Problem{ProblemCode::MoveNotAllowed, {"draft", "approved", "submitted", "withdrawn"}}});
        CHECK(desktop::errorText(refused) ==
              wxString::FromUTF8("status: tidak bisa pindah dari draft ke approved; yang boleh: submitted, withdrawn"));
        CHECK(desktop::errorText(Error(ErrorCode::Storage, "disk full")) == "disk full");
        desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
    }
}

TEST_CASE("RecordEditor: a record whose applicant has no e-mail address says the applicant receives none",
          "[gui][editor][mail]")
{
    FrameFixture f;
    const wxString notice = _("No e-mail address: the applicant receives no e-mail");
    CHECK(notice == "No e-mail address: the applicant receives no e-mail");

    SECTION("an application without e-mail, then with one")
    {
        auto* editor = newApplication(*f.frame, "Siti Aminah", test::kValidNik);
        click(editor->saveButton());
        REQUIRE_FALSE(editor->recordId().empty());
        CHECK(editor->stateLine().Contains(notice));
        editor->typeInto("email", "siti.aminah@contoh.test");
        click(editor->saveButton());
        CHECK(f.frame->store().get(editor->recordId()).value("email") == "siti.aminah@contoh.test");
        CHECK_FALSE(editor->stateLine().Contains(notice));
        editor->Destroy();
    }
    SECTION("a complaint whose contact is a phone number, then an e-mail address")
    {
        auto* editor = f.frame->openRecord("complaint", "");
        editor->typeInto("kind", "complaint");
        editor->typeInto("channel", "whatsapp");
        editor->typeInto("complainant_name", "Joko Susilo");
        editor->typeInto("contact", "+6281234567890");
        editor->typeInto("subject", "Antrean daring penuh");
        click(editor->saveButton());
        REQUIRE_FALSE(editor->recordId().empty());
        CHECK(editor->stateLine().Contains(notice));
        editor->typeInto("contact", "joko.susilo@contoh.test");
        click(editor->saveButton());
        CHECK_FALSE(editor->stateLine().Contains(notice));
        editor->Destroy();
    }
    SECTION("in Indonesian")
    {
        desktop::setInterfaceLanguage("id", wxTheApp->argv[0].ToStdString());
        CHECK(_("No e-mail address: the applicant receives no e-mail") ==
              wxString::FromUTF8("Tanpa alamat e-mail: pemohon tidak menerima e-mail"));
        desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
    }
}
