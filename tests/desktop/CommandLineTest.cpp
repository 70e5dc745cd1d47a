// End-to-end tests of the headless command line: each test runs the real
// build/bin/berkas binary in its own process against a temporary data folder.

#include "desktop/CommandLine.h"
#include "desktop/Commands.h"
#include "desktop/Session.h"
#include "tests/desktop/TestImages.h"
#include "tests/support/PdfImages.h"
#include "tests/support/TempPath.h"

#include "model/AtRest.h"
#include "model/Assets.h"
#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/KeyRing.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifndef BERKAS_BINARY
#error "BERKAS_BINARY must name the berkas executable under test"
#endif

using namespace berkas;

namespace {

struct Result
{
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs berkas with @p args, @p input on stdin, BERKAS_DATA unset unless
/// given in @p env. Reads stderr on its own thread so neither pipe can fill up.
Result runBerkas(const std::vector<std::string>& args, const std::string& input = "",
                 const std::map<std::string, std::string>& env = {})
{
    ::unsetenv("BERKAS_DATA");
    ::unsetenv("BERKAS_PASSWORD");
    Poco::Process::Env environment(env.begin(), env.end());
    Poco::Pipe inPipe;
    Poco::Pipe outPipe;
    Poco::Pipe errPipe;
    Poco::ProcessHandle handle =
        Poco::Process::launch(BERKAS_BINARY, args, Poco::Path::current(), &inPipe, &outPipe, &errPipe, environment);
    Result result;
    std::thread errReader([&] {
        Poco::PipeInputStream err(errPipe);
        Poco::StreamCopier::copyToString(err, result.err);
    });
    {
        Poco::PipeOutputStream in(inPipe);
        in << input;
        in.close();
    }
    Poco::PipeInputStream out(outPipe);
    Poco::StreamCopier::copyToString(out, result.out);
    errReader.join();
    result.code = handle.wait();
    return result;
}

std::string firstLine(const std::string& text)
{
    return text.substr(0, text.find('\n'));
}

Poco::Dynamic::Var parseJson(const std::string& text)
{
    Poco::JSON::Parser parser;
    return parser.parse(text);
}

Poco::JSON::Object::Ptr jsonObject(const std::string& text)
{
    return parseJson(text).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr jsonArray(const std::string& text)
{
    return parseJson(text).extract<Poco::JSON::Array::Ptr>();
}

/// A temporary data folder and `berkas --data=DIR ...` on it.
struct Cli
{
    std::string dir = berkas::test::uniqueTempPath("cli");

    Cli() { Poco::File(dir).createDirectories(); }
    ~Cli()
    {
        try
        {
            Poco::File(dir).remove(true);
        }
        catch (...)
        {
        }
    }
    Cli(const Cli&) = delete;
    Cli& operator=(const Cli&) = delete;

    Result operator()(std::vector<std::string> args, const std::string& input = "",
                      const std::map<std::string, std::string>& env = {}) const
    {
        args.insert(args.begin(), "--data=" + dir);
        return runBerkas(args, input, env);
    }

    std::string file(const std::string& name) const { return Poco::Path(dir).append(name).toString(); }

    /// Rows of @p table, read straight from the database file.
    std::int64_t rows(const std::string& table) const
    {
        model::Database db(model::CaseStore::databasePath(dir), true);
        model::Statement s(db, "SELECT count(*) FROM " + table);
        s.step();
        return s.integer(0);
    }

    /// Creates an application and returns its id.
    std::string newApplication(const std::string& name, const std::string& nik = "3275090101900001",
                               const std::string& status = "") const
    {
        std::vector<std::string> args = {"new", "application", "service_code=PBG", "applicant_name=" + name,
                                         "nik=" + nik, "channel=whatsapp"};
        if (!status.empty())
            args.push_back("status=" + status);
        const Result r = (*this)(args);
        INFO(r.err);
        REQUIRE(r.code == 0);
        const std::string id = firstLine(r.out);
        REQUIRE(model::isUuid(id));
        return id;
    }

    /// The role this laptop's user logged in with, as a login stores it.
    void setRole(const std::string& role) const
    {
        model::StoreOptions o;
        o.dataDir = dir;
        model::CaseStore(o).setSetting("role", role);
    }
};

/// Ticks every checklist item of application @p id from the command line.
void tickChecklist(const Cli& berkas, const std::string& id)
{
    const Result items = berkas({"list", "requirement", "--where=application_id=" + id, "--json"});
    REQUIRE(items.code == 0);
    const auto rows = jsonArray(items.out);
    REQUIRE(rows->size() > 0);
    for (std::size_t i = 0; i < rows->size(); ++i)
        REQUIRE(berkas({"set", rows->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"), "fulfilled=1"})
                    .code == 0);
}

} // namespace

TEST_CASE("CommandLine: --help, COMMAND --help and --version print and exit 0", "[desktop][cli]")
{
    SECTION("berkas --help lists every command of DESIGN.md")
    {
        const Result r = runBerkas({"--help"});
        CHECK(r.code == 0);
        CHECK(r.err.empty());
        CHECK_THAT(r.out, Catch::Contains("Usage:"));
        for (const char* usage : {"schema [KIND]", "new KIND field=value ...", "set ID field=value ...",
                                  "get ID [--json]", "list KIND [--where=field=value]... [--search=TEXT]",
                                  "history ID [--json]", "enroll --server=URL --user=NAME", "login --user=NAME",
                                  "sync [--json]", "conflicts [--json]", "resolve CONFLICT_ID",
                                  "export --xlsx=FILE", "import KIND FILE.csv"})
            CHECK_THAT(r.out, Catch::Contains(usage));
    }
    SECTION("berkas new --help shows that command's usage")
    {
        const Result r = runBerkas({"new", "--help"});
        CHECK(r.code == 0);
        CHECK(firstLine(r.out) == "Usage: berkas [--data=DIR] new KIND field=value ...");
    }
    SECTION("berkas --version")
    {
        const Result r = runBerkas({"--version"});
        CHECK(r.code == 0);
        CHECK_THAT(r.out, Catch::Matches("berkas [0-9]+\\.[0-9]+\\.[0-9]+\n"));
    }
}

TEST_CASE("CommandLine: enroll documents --ca-file and has no --insecure", "[desktop][cli][regression]")
{
    // enroll accepted an --insecure that did nothing, and no help text
    // mentioned --ca-file.
    SECTION("berkas enroll --help explains --ca-file")
    {
        const Result r = runBerkas({"enroll", "--help"});
        CHECK(r.code == 0);
        CHECK(firstLine(r.out) == "Usage: berkas [--data=DIR] enroll --server=URL --user=NAME [--ca-file=FILE]");
        CHECK_THAT(r.out, Catch::Contains("--ca-file=FILE  trust only this certificate authority"));
        CHECK(r.out.find("insecure") == std::string::npos);
    }
    SECTION("berkas --help shows it in the usage line of enroll")
    {
        const Result r = runBerkas({"--help"});
        CHECK(r.code == 0);
        CHECK_THAT(r.out, Catch::Contains("enroll --server=URL --user=NAME [--ca-file=FILE]"));
        CHECK(r.out.find("insecure") == std::string::npos);
    }
    SECTION("--insecure is wrong usage")
    {
        Cli berkas;
        const Result r = berkas({"enroll", "--server=http://127.0.0.1:9", "--user=siti", "--insecure"}, "kata-sandi-uji-1\n");
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::StartsWith("berkas: ") && Catch::Contains("insecure"));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}

TEST_CASE("CommandLine: wrong usage exits 2 with one line on stderr and writes nothing", "[desktop][cli]")
{
    Cli berkas;
    const auto usage = [&](const std::vector<std::string>& args) {
        const Result r = berkas(args);
        INFO(r.out << r.err);
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        return r.err;
    };
    CHECK_THAT(usage({"--bogus"}), Catch::StartsWith("berkas: ") && Catch::Contains("bogus"));
    CHECK_THAT(usage({"list", "application", "--bogus"}), Catch::StartsWith("berkas: ") && Catch::Contains("bogus"));
    CHECK_THAT(usage({"list", "application", "--colour=red"}), Catch::Contains("colour"));
    CHECK_THAT(usage({"frobnicate"}), Catch::StartsWith("berkas: unknown command \"frobnicate\""));
    CHECK_THAT(usage({"new"}), Catch::Contains("missing KIND"));
    CHECK_THAT(usage({"get", "a", "b"}), Catch::Contains("usage: berkas get ID [--json]"));
    CHECK_THAT(usage({"get", "x", "--limit=3"}), Catch::Contains("option --limit does not apply"));
    CHECK_THAT(usage({"new", "application", "applicant_name"}), Catch::Contains("expected field=value"));
    CHECK_FALSE(Poco::File(model::CaseStore::databasePath(berkas.dir)).exists());

}

TEST_CASE("CommandLine: a rejected write exits 1 with the field and the rule, and writes nothing", "[desktop][cli]")
{
    Cli berkas;
    const std::string id = berkas.newApplication("Siti Nurhaliza");
    const auto outbox = berkas.rows("outbox");
    const auto audit = berkas.rows("audit");
    const auto applications = berkas.rows("application");

    SECTION("a NIK one digit short")
    {
        const Result r = berkas({"new", "application", "service_code=PBG", "applicant_name=Ayu Lestari",
                                 "nik=327509010190001", "channel=phone"});
        CHECK(r.code == 1);
        CHECK(r.out.empty());
        CHECK(r.err == "nik: must be 16 digits, got 15\n");
    }
    SECTION("a forbidden status move")
    {
        const Result r = berkas({"set", id, "status=approved"});
        CHECK(r.code == 1);
        CHECK(r.err == "status: cannot move from draft to approved; allowed: submitted, withdrawn\n");
    }
    SECTION("a computed field")
    {
        const Result r = berkas({"set", id, "due_date=2021-01-01"});
        CHECK(r.code == 1);
        CHECK_THAT(r.err, Catch::StartsWith("due_date: is computed by Berkas"));
    }
    SECTION("an unknown id")
    {
        const Result r = berkas({"get", "01890000-0000-7000-8000-000000000000"});
        CHECK(r.code == 1);
        CHECK(r.err == "id: no record with id 01890000-0000-7000-8000-000000000000\n");
    }
    SECTION("an unknown kind")
    {
        const Result r = berkas({"list", "permit"});
        CHECK(r.code == 1);
        CHECK_THAT(r.err, Catch::StartsWith("kind: unknown kind \"permit\""));
    }
    CHECK(berkas.rows("outbox") == outbox);
    CHECK(berkas.rows("audit") == audit);
    CHECK(berkas.rows("application") == applications);
}

TEST_CASE("CommandLine: new, set, get --json and history --json", "[desktop][cli]")
{
    Cli berkas;
    const std::string name = "Ni Luh Putu Ayu S\xC3\xA9ka";
    const std::string id = berkas.newApplication(name);

    const Result got = berkas({"get", id, "--json"});
    REQUIRE(got.code == 0);
    const auto record = jsonObject(got.out);
    CHECK(record->getValue<std::string>("id") == id);
    CHECK(record->getValue<std::string>("applicant_name") == name);
    CHECK(record->getValue<std::string>("nik") == "3275090101900001");
    CHECK(record->getValue<std::string>("status") == "draft");
    CHECK_THAT(record->getValue<std::string>("provisional_no"), Catch::Matches("P-[0-9A-F]{6}-000001"));
    CHECK(record->get("reg_no").isEmpty());
    CHECK(record->getValue<bool>("deleted") == false);

    const Result set = berkas({"set", id, "status=submitted", "phone=0812-3456-7890"});
    CHECK(set.code == 0);
    CHECK(set.err.empty());
    CHECK(jsonObject(berkas({"get", id, "--json"}).out)->getValue<std::string>("phone") == "+6281234567890");

    const Result history = berkas({"history", id, "--json"});
    REQUIRE(history.code == 0);
    const auto lines = jsonArray(history.out);
    bool sawStatus = false;
    for (std::size_t i = 0; i < lines->size(); ++i)
    {
        const auto line = lines->getObject(static_cast<unsigned>(i));
        if (line->getValue<std::string>("field") == "status" && line->getValue<std::string>("new") == "submitted")
        {
            sawStatus = true;
            CHECK(line->getValue<std::string>("old") == "draft");
            CHECK(line->getValue<std::string>("source") == "local");
        }
    }
    CHECK(sawStatus);
    CHECK(lines->getObject(0)->getValue<std::string>("field") == "created_at");

    const Result plain = berkas({"get", id});
    CHECK(plain.code == 0);
    CHECK_THAT(plain.out, Catch::Contains("applicant_name: " + name));
    CHECK_THAT(plain.out, Catch::Contains("(provisional)"));

    SECTION("SQL metacharacters and quotes round-trip through the command line")
    {
        const std::string tricky = "Robert'); DROP TABLE application;-- \"Bobby\"";
        const Result made = berkas({"new", "complaint", "kind=complaint", "channel=email",
                                    "complainant_name=" + tricky, "subject=a=b; c"});
        REQUIRE(made.code == 0);
        const auto complaint = jsonObject(berkas({"get", firstLine(made.out), "--json"}).out);
        CHECK(complaint->getValue<std::string>("complainant_name") == tricky);
        CHECK(complaint->getValue<std::string>("subject") == "a=b; c");
        CHECK(berkas.rows("application") == 1);
    }
}

TEST_CASE("CommandLine: the checklist gates leaving document_check, a manager overrides with a reason",
          "[desktop][cli][workflow][checklist]")
{
    Cli berkas;
    const std::string id = berkas.newApplication("Agus Salim", "3275090101900001", "submitted");
    REQUIRE(berkas({"set", id, "status=document_check"}).code == 0);
    const auto rowsBefore = berkas.rows("application");

    const Result gated = berkas({"set", id, "status=field_verification"});
    CHECK(gated.code == 1);
    CHECK(gated.err == "status: cannot move to field_verification: checklist items not ticked: 6 (first: Fotokopi "
                       "KTP pemohon); tick them, or a manager overrides with a reason (checklist_override)\n");
    CHECK(jsonObject(berkas({"get", id, "--json"}).out)->getValue<std::string>("status") == "document_check");
    CHECK(berkas.rows("task") == 0);

    const std::string reason = "checklist_override=Asli diperlihatkan di loket";
    SECTION("a clerk's override is refused, nothing written")
    {
        berkas.setRole("clerk");
        const Result refused = berkas({"set", id, "status=field_verification", reason});
        CHECK(refused.code == 1);
        CHECK(refused.err == "checklist_override: only a manager may override the checklist, not a clerk\n");
        CHECK(jsonObject(berkas({"get", id, "--json"}).out)->isNull("checklist_override"));
    }
    SECTION("a manager's override moves it, and the history keeps the reason")
    {
        berkas.setRole("manager");
        const Result moved = berkas({"set", id, "status=field_verification", reason});
        CHECK(moved.code == 0);
        CHECK(moved.err.empty());
        CHECK(jsonObject(berkas({"get", id, "--json"}).out)->getValue<std::string>("status") == "field_verification");
        const Result history = berkas({"history", id});
        CHECK(history.out.find("Asli diperlihatkan di loket") != std::string::npos);
    }
    SECTION("ticked from the command line, it moves without an override")
    {
        const Result table = berkas({"list", "requirement", "--where=application_id=" + id});
        CHECK(table.out.rfind("id\tapplication_id\tfulfilled\tchecked_by\trequirement\n", 0) == 0);
        CHECK(table.out.find("\t0\t\tFotokopi KTP pemohon\n") != std::string::npos);
        tickChecklist(berkas, id);
        CHECK(berkas({"set", id, "status=field_verification"}).code == 0);
    }
    CHECK(berkas.rows("application") == rowsBefore);
}

TEST_CASE("CommandLine: set status=field_verification creates the verifier's task, as the window does",
          "[desktop][cli][workflow]")
{
    Cli berkas;
    const std::string id = berkas.newApplication("Agus Salim", "3275090101900001", "submitted");
    REQUIRE(berkas({"set", id, "status=document_check"}).code == 0);
    const auto tasksOf = [&](const std::string& application) {
        const Result r = berkas({"list", "task", "--where=application_id=" + application, "--json"});
        REQUIRE(r.code == 0);
        return jsonArray(r.out);
    };
    REQUIRE(tasksOf(id)->size() == 0);
    tickChecklist(berkas, id);

    const Result moved = berkas({"set", id, "status=field_verification"});
    CHECK(moved.code == 0);
    CHECK(moved.err.empty());
    CHECK(jsonObject(berkas({"get", id, "--json"}).out)->getValue<std::string>("status") == "field_verification");
    const auto tasks = tasksOf(id);
    REQUIRE(tasks->size() == 1);
    const auto task = tasks->getObject(0);
    CHECK(task->getValue<std::string>("status") == "assigned");
    {
        // Nobody is assigned to the file: the task goes to the user who moved
        // it, two working days from today.
        model::StoreOptions o;
        o.dataDir = berkas.dir;
        model::CaseStore store(o);
        CHECK(task->getValue<std::string>("assigned_to") == store.user());
        CHECK(task->getValue<std::string>("scheduled_for") ==
              store.calendar().addWorkingDays(store.today(), 2).toString());
    }

    SECTION("to the verifier the file is assigned to with the move")
    {
        const std::string other = berkas.newApplication("Rina Wati", "3275095503850002", "submitted");
        REQUIRE(berkas({"set", other, "status=document_check"}).code == 0);
        tickChecklist(berkas, other);
        REQUIRE(berkas({"set", other, "status=field_verification", "assigned_to=verif.andi"}).code == 0);
        const auto assigned = tasksOf(other);
        REQUIRE(assigned->size() == 1);
        CHECK(assigned->getObject(0)->getValue<std::string>("assigned_to") == "verif.andi");
    }
    SECTION("a refused move makes no task")
    {
        REQUIRE(berkas({"set", id, "status=rejected"}).code == 0);
        const auto before = berkas.rows("task");
        const Result refused = berkas({"set", id, "status=field_verification"});
        CHECK(refused.code == 1);
        CHECK(refused.err == "status: cannot move from rejected to field_verification; rejected is final\n");
        CHECK(berkas.rows("task") == before);
    }
}

TEST_CASE("CommandLine: list with --where, --search, --limit and --json", "[desktop][cli]")
{
    Cli berkas;
    const std::string siti = berkas.newApplication("Siti Nurhaliza", "3275090101900001", "submitted");
    const std::string ayu = berkas.newApplication("Ayu Sitompul", "3275095503850002");
    const std::string eko = berkas.newApplication("Eko Saputra", "3275090202800003", "submitted");

    const auto listed = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"list", "application"});
        args.push_back("--json");
        const Result r = berkas(args);
        INFO(r.err);
        REQUIRE(r.code == 0);
        std::vector<std::string> found;
        const auto array = jsonArray(r.out);
        for (std::size_t i = 0; i < array->size(); ++i)
            found.push_back(array->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
        std::sort(found.begin(), found.end());
        return found;
    };
    const auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };

    CHECK(listed({}) == sorted({siti, ayu, eko}));
    CHECK(listed({"--where=status=submitted"}) == sorted({siti, eko}));
    CHECK(listed({"--where=status=submitted", "--where=applicant_name=Eko Saputra"}) == sorted({eko}));
    CHECK(listed({"--search=sit"}) == sorted({siti, ayu}));
    CHECK(listed({"--search=sit nur"}) == sorted({siti}));
    CHECK(listed({"--search=32750955"}) == sorted({ayu}));
    CHECK(listed({"--limit=2"}).size() == 2);
    CHECK(listed({"--search=zzz"}).empty());

    SECTION("the table view has a header and one line per record")
    {
        const Result r = berkas({"list", "application", "--where=status=submitted"});
        CHECK(r.code == 0);
        CHECK(firstLine(r.out) == "id\tnumber\tservice_code\tapplicant_name\tkecamatan\tstatus\tdue_date");
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
    }
    SECTION("a bad filter is an error, not a crash")
    {
        const Result unknown = berkas({"list", "application", "--where=colour=red"});
        CHECK(unknown.code == 1);
        CHECK_THAT(unknown.err, Catch::StartsWith("where: unknown field \"colour\""));
        const Result limit = berkas({"list", "application", "--limit=lots"});
        CHECK(limit.code == 1);
        CHECK_THAT(limit.err, Catch::StartsWith("limit: "));
    }
}

TEST_CASE("CommandLine: import writes every row or none", "[desktop][cli]")
{
    Cli berkas;
    berkas({"list", "application"}); // creates the data folder's database
    const std::string csv = berkas.file("in.csv");
    const auto outbox = berkas.rows("outbox");

    SECTION("a bad row: exit 1, every bad line named, nothing written")
    {
        std::ofstream(csv) << "service_code,applicant_name,nik,channel\n"
                              "PBG,Adi Santoso,3275090101900001,phone\n"
                              "PBG,Ayu Lestari,327509550385000,phone\n"
                              "SIPD,Bagus Wijaya,3275090101900003,email\n"
                              "SIPD,Citra Dewi,,carrier pigeon\n";
        const Result r = berkas({"import", "application", csv});
        CHECK(r.code == 1);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::Contains("line 3: nik: must be 16 digits, got 15"));
        CHECK_THAT(r.err, Catch::Contains("line 5: channel: "));
        CHECK_THAT(r.err, !Catch::Contains("line 2"));
        CHECK(berkas.rows("application") == 0);
        CHECK(berkas.rows("outbox") == outbox);
    }
    SECTION("good rows are all imported")
    {
        std::ofstream(csv) << "service_code,applicant_name,channel\n"
                              "PBG,Adi Santoso,phone\n"
                              "SIPD,\"Robert'); DROP TABLE application;--\",email\n";
        const Result r = berkas({"import", "application", csv});
        CHECK(r.code == 0);
        CHECK(r.out == "imported 2 application records\n");
        CHECK(berkas.rows("application") == 2);
    }
}

TEST_CASE("CommandLine: schema lists kinds, fields and allowed values", "[desktop][cli]")
{
    Cli berkas;
    const Result all = berkas({"schema"});
    CHECK(all.code == 0);
    for (const char* kind : {"application\n", "task\n", "complaint\n", "booking\n", "service\n"})
        CHECK_THAT(all.out, Catch::Contains(kind));
    CHECK_THAT(all.out, Catch::Contains("nik\tNIK (16 digits)"));

    const Result json = berkas({"schema", "application", "--json"});
    REQUIRE(json.code == 0);
    const auto kinds = jsonArray(json.out);
    REQUIRE(kinds->size() == 1);
    const auto application = kinds->getObject(0);
    CHECK(application->getValue<std::string>("kind") == "application");
    const auto fields = application->getArray("fields");
    bool sawStatus = false;
    for (std::size_t i = 0; i < fields->size(); ++i)
    {
        const auto field = fields->getObject(static_cast<unsigned>(i));
        if (field->getValue<std::string>("name") == "status")
        {
            sawStatus = true;
            CHECK(field->getArray("allowed")->size() == 9);
        }
    }
    CHECK(sawStatus);

    const Result unknown = berkas({"schema", "permit"});
    CHECK(unknown.code == 1);
    CHECK_THAT(unknown.err, Catch::StartsWith("kind: unknown kind \"permit\""));
}

TEST_CASE("CommandLine: the data folder comes from --data, else BERKAS_DATA, else XDG_DATA_HOME", "[desktop][cli]")
{
    Cli berkas;
    const Result r = runBerkas({"new", "application", "service_code=PBG", "applicant_name=Adi", "channel=phone"}, "",
                               {{"BERKAS_DATA", berkas.dir}});
    CHECK(r.code == 0);
    CHECK(berkas.rows("application") == 1);

    const std::string savedXdg = Poco::Environment::get("XDG_DATA_HOME", "");
    ::unsetenv("BERKAS_DATA");
    ::setenv("XDG_DATA_HOME", "/srv/xdg", 1);
    CHECK(desktop::CommandLine::defaultDataDir() == "/srv/xdg/berkas");
    ::setenv("BERKAS_DATA", "/srv/berkas", 1);
    CHECK(desktop::CommandLine::defaultDataDir() == "/srv/berkas");
    ::unsetenv("BERKAS_DATA");
    if (savedXdg.empty())
        ::unsetenv("XDG_DATA_HOME");
    else
        ::setenv("XDG_DATA_HOME", savedXdg.c_str(), 1);
}

namespace {

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A folder of siti's with one application, whose data key is wrapped for
/// her (with few PBKDF2 iterations, as a test may) under kSitiPassword.
struct EncryptedCli : Cli
{
    static constexpr const char* kSitiPassword = "sandi-siti-1";
    std::string key;
    std::string applicationId;

    EncryptedCli()
    {
        applicationId = newApplication("Siti Nurhaliza");
        {
            model::StoreOptions o;
            o.dataDir = dir;
            model::CaseStore store(o);
            store.setUser("siti");
        }
        key = model::KeyRing(dir, 1000).create("siti", kSitiPassword);
    }

    /// Rows of @p table, read with the data key once a command has
    /// encrypted the database (the first unlock upgrades the plain file).
    std::int64_t rows(const std::string& table) const
    {
        const std::string path = model::CaseStore::databasePath(dir);
        const auto db = model::isEncryptedDatabase(path) ? std::make_unique<model::Database>(path, key, true)
                                                         : std::make_unique<model::Database>(path, true);
        model::Statement s(*db, "SELECT count(*) FROM " + table);
        s.step();
        return s.integer(0);
    }

    Result as(const std::string& password, std::vector<std::string> args, const std::string& input = "") const
    {
        return (*this)(std::move(args), input, {{"BERKAS_PASSWORD", password}});
    }
};

} // namespace

TEST_CASE("CommandLine: an encrypted folder unlocks with BERKAS_PASSWORD, and a wrong or missing one exits 1",
          "[desktop][cli][keys]")
{
    EncryptedCli berkas;
    const auto applications = berkas.rows("application");
    const auto audit = berkas.rows("audit");

    SECTION("the right password")
    {
        Result r = berkas.as(EncryptedCli::kSitiPassword, {"list", "application"});
        INFO(r.err);
        CHECK(r.code == 0);
        CHECK(r.err.empty());
        CHECK(r.out.find(berkas.applicationId) != std::string::npos);
        r = berkas.as(EncryptedCli::kSitiPassword, {"get", berkas.applicationId});
        CHECK(r.code == 0);
        CHECK(r.out.find("applicant_name: Siti Nurhaliza") != std::string::npos);
    }
    SECTION("a wrong password")
    {
        Result r = berkas.as("salah", {"list", "application"});
        CHECK(r.code == 1);
        CHECK(r.out.empty());
        CHECK(r.err == "password: BERKAS_PASSWORD does not unlock the data on this laptop for user \"siti\"\n");
        r = berkas.as("salah", {"new", "application", "service_code=PBG", "applicant_name=Ayu Lestari",
                                "channel=phone"});
        CHECK(r.code == 1);
        CHECK(r.err == "password: BERKAS_PASSWORD does not unlock the data on this laptop for user \"siti\"\n");
    }
    SECTION("no BERKAS_PASSWORD, and standard input is not a terminal to ask on")
    {
        const Result r = berkas({"new", "application", "service_code=PBG", "applicant_name=Ayu Lestari",
                                 "channel=phone"});
        CHECK(r.code == 1);
        CHECK(r.out.empty());
        CHECK(r.err == "password: the data in " + berkas.dir +
                           " is encrypted; set BERKAS_PASSWORD to the password of user \"siti\", or run the command "
                           "in a terminal to be asked for it\n");
    }
    SECTION("export, which checks its options first")
    {
        const Result r = berkas.as("salah", {"export", "--xlsx=" + berkas.file("laporan.xlsx")});
        CHECK(r.code == 1);
        CHECK_THAT(r.err, Catch::StartsWith("password: BERKAS_PASSWORD does not unlock"));
        CHECK_FALSE(Poco::File(berkas.file("laporan.xlsx")).exists());
    }
    CHECK(berkas.rows("application") == applications);
    CHECK(berkas.rows("audit") == audit);
}

TEST_CASE("CommandLine: what a command's session keeps in an encrypted folder is sealed on disk",
          "[desktop][cli][keys][attachment]")
{
    // There is no attach command yet: the store comes from the session a
    // command opens (BERKAS_PASSWORD in this process's environment).
    EncryptedCli berkas;
    const std::string photo = berkas.file("ktp-siti.jpg");
    std::ofstream(photo, std::ios::binary) << "JFIF... NIK 3275090101900001 Siti Nurhaliza";
    ::setenv("BERKAS_PASSWORD", EncryptedCli::kSitiPassword, 1);
    desktop::Invocation inv;
    inv.dataDir = berkas.dir;
    std::string sha;
    {
        const auto session = desktop::Session::forCommand(inv);
        const auto store = session->openStore();
        CHECK(store->dataKey() == berkas.key);
        const std::string id = model::addAttachment(*store, berkas.applicationId, photo);
        sha = store->get(id).value("sha256");
        CHECK(model::readAttachment(*store, sha) == slurp(photo));
    }
    ::unsetenv("BERKAS_PASSWORD");
    const std::string stored = slurp(model::attachmentPath(berkas.dir, sha));
    CHECK(model::looksSealed(stored));
    CHECK(stored.find("Siti Nurhaliza") == std::string::npos);
    CHECK(model::openSealedBytes(berkas.key, stored) == slurp(photo));
    CHECK_THROWS_WITH(desktop::Session::forCommand(inv), Catch::Contains("set BERKAS_PASSWORD"));
}

TEST_CASE("CommandLine: login keeps a changed password in the key ring once the laptop accepts it",
          "[desktop][cli][keys]")
{
    // siti's password was changed at the central office; offline, the laptop
    // accepts the new one because she logged in with it before (its unlock
    // hash), and her old one (BERKAS_PASSWORD) still opens the key ring.
    EncryptedCli berkas;
    const std::string changed = "sandi-siti-2";
    {
        model::StoreOptions o;
        o.dataDir = berkas.dir;
        model::CaseStore store(o);
        store.setSetting("server_url", "http://127.0.0.1:1");
        store.setSetting("unlock_hash:siti", sync::Passwords::hash(changed, 1000));
    }
    const std::string ring = slurp(model::KeyRing::path(berkas.dir));

    SECTION("without the old password nothing opens and nothing is written")
    {
        const Result r = berkas({"login", "--user=siti"}, changed + "\n");
        CHECK(r.code == 1);
        CHECK(r.err == "password: does not unlock the data on this laptop for user \"siti\"\n");
        CHECK(slurp(model::KeyRing::path(berkas.dir)) == ring);
    }
    SECTION("a password the laptop does not accept is not kept")
    {
        const Result r = berkas.as(EncryptedCli::kSitiPassword, {"login", "--user=siti"}, "tebakan-salah\n");
        CHECK(r.code == 1);
        CHECK(slurp(model::KeyRing::path(berkas.dir)) == ring);
    }
    SECTION("with the old one in BERKAS_PASSWORD the new one is kept")
    {
        Result r = berkas.as(EncryptedCli::kSitiPassword, {"login", "--user=siti"}, changed + "\n");
        INFO(r.err);
        REQUIRE(r.code == 0);
        CHECK(r.out == "the central office is unreachable; unlocked offline as siti\n");
        CHECK(model::KeyRing(berkas.dir).unlock("siti", changed) == berkas.key);
        r = berkas.as(changed, {"list", "application"});
        CHECK(r.code == 0);
        CHECK(berkas.as(EncryptedCli::kSitiPassword, {"list", "application"}).code == 1);
    }
}


TEST_CASE("CommandLine: user list and user remove: a removed user's password no longer unlocks", "[desktop][cli][keys]")
{
    // The laptop changed hands: budi logged in on it before, siti is enrolled now.
    EncryptedCli berkas;
    model::KeyRing(berkas.dir, 1000).addUser("budi", "sandi-budi", berkas.key);
    REQUIRE(model::KeyRing(berkas.dir).unlock("budi", "sandi-budi") == berkas.key);

    Result r = berkas({"user", "list"});
    CHECK(r.code == 0);
    CHECK(r.out == "budi\nsiti\tenrolled\n");

    const std::string ring = slurp(model::KeyRing::path(berkas.dir));
    r = berkas.as("salah", {"user", "remove", "budi"});
    CHECK(r.code == 1);
    CHECK(r.err == "password: BERKAS_PASSWORD does not unlock the data on this laptop for user \"siti\"\n");
    r = berkas.as(EncryptedCli::kSitiPassword, {"user", "remove", "siti"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("user: this laptop is enrolled for \"siti\""));
    CHECK(berkas({"user", "drop", "budi"}).code == 2);
    CHECK(slurp(model::KeyRing::path(berkas.dir)) == ring);

    r = berkas.as(EncryptedCli::kSitiPassword, {"user", "remove", "budi"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out == "removed budi: their password no longer unlocks this laptop\n");
    CHECK(berkas({"user", "list"}).out == "siti\tenrolled\n");
    CHECK_THROWS_AS(model::KeyRing(berkas.dir).unlock("budi", "sandi-budi"), Error);
    CHECK(model::KeyRing(berkas.dir).unlock("siti", EncryptedCli::kSitiPassword) == berkas.key);
    CHECK(berkas.as(EncryptedCli::kSitiPassword, {"list", "application"}).code == 0);
}

TEST_CASE("CommandLine: today lists the open visits until the day, by schedule, with applicant, address and service",
          "[desktop][cli][verification]")
{
    Cli berkas;
    const std::string ani = berkas.newApplication("Ani Sintetis");
    const std::string budi = berkas.newApplication("Budi Sintetis", "3275090202900002");
    REQUIRE(berkas({"set", ani, "address=Jl. Kenanga No. 5"}).code == 0);
    REQUIRE(berkas({"set", budi, "address=Jl. Melati No. 9"}).code == 0);
    const auto task = [&](const std::string& app, const std::string& who, const std::string& day) {
        const Result r = berkas({"new", "task", "application_id=" + app, "assigned_to=" + who, "scheduled_for=" + day});
        INFO(r.err);
        REQUIRE(r.code == 0);
        return firstLine(r.out);
    };
    const std::string later = task(ani, "vera", "2030-03-06");
    const std::string missed = task(budi, "vera", "2030-03-01");
    const std::string today = task(ani, "vino", "2030-03-04");
    const std::string finished = task(budi, "vera", "2030-03-02");
    REQUIRE(berkas({"set", finished, "status=in_progress"}).code == 0);
    REQUIRE(berkas({"set", finished, "status=done", "result=compliant"}).code == 0);

    const Result listed = berkas({"today", "--date=2030-03-04", "--json"});
    REQUIRE(listed.code == 0);
    const auto rows = jsonArray(listed.out);
    REQUIRE(rows->size() == 2); // not the done one, not the one of 6 March
    CHECK(rows->getObject(0)->getValue<std::string>("task_id") == missed);
    CHECK(rows->getObject(0)->getValue<std::string>("applicant_name") == "Budi Sintetis");
    CHECK(rows->getObject(0)->getValue<std::string>("address") == "Jl. Melati No. 9");
    CHECK(rows->getObject(1)->getValue<std::string>("task_id") == today);
    CHECK(rows->getObject(1)->getValue<std::string>("service_code") == "PBG");
    CHECK(rows->getObject(1)->getValue<std::string>("service_name") == "Persetujuan Bangunan Gedung (dahulu IMB)");

    const Result vera = berkas({"today", "--date=2030-03-06", "--user=vera"});
    REQUIRE(vera.code == 0);
    CHECK(vera.out.find(missed) < vera.out.find(later));
    CHECK(vera.out.find(today) == std::string::npos);
    CHECK(vera.out.find("Jl. Kenanga No. 5\tPBG Persetujuan Bangunan Gedung") != std::string::npos);

    const Result bad = berkas({"today", "--date=2030-02-30"});
    CHECK(bad.code == 1);
    CHECK(bad.err == "date: must be a real date in the form YYYY-MM-DD, got \"2030-02-30\"\n");
    CHECK(bad.out.empty());
}

namespace {

/// Runs a program of the system (poppler's tools) and returns its output.
Result runProgram(const std::string& program, const std::vector<std::string>& args)
{
    Poco::Pipe outPipe;
    Poco::Pipe errPipe;
    Poco::ProcessHandle handle = Poco::Process::launch(program, args, nullptr, &outPipe, &errPipe);
    Result result;
    std::thread errReader([&] {
        Poco::PipeInputStream err(errPipe);
        Poco::StreamCopier::copyToString(err, result.err);
    });
    Poco::PipeInputStream out(outPipe);
    Poco::StreamCopier::copyToString(out, result.out);
    errReader.join();
    result.code = handle.wait();
    return result;
}

} // namespace

TEST_CASE("CommandLine: report bap writes the inspection report as PDF with findings, photos and signatures",
          "[desktop][cli][verification][report]")
{
    Cli berkas;
    const std::string app = berkas.newApplication("Sari Wulandari");
    REQUIRE(berkas({"set", app, "address=Jl. Kenanga No. 5", "kecamatan=32.75.09"}).code == 0);
    const Result made = berkas({"new", "task", "application_id=" + app, "assigned_to=vera.sintetis"});
    REQUIRE(made.code == 0);
    const std::string task = firstLine(made.out);
    const auto items = model::referenceFindingsChecklist("PBG");
    REQUIRE(items.size() >= 2);
    const std::string findings = model::formatFindings(
        {{{items[0], true}, {items[1], false}}, "Pagar depan melewati garis sempadan sekitar 30 cm."});
    REQUIRE(berkas({"set", task, "status=in_progress"}).code == 0);
    REQUIRE(berkas({"set", task, "status=done", "result=needs_revision", "findings=" + findings,
                    "latitude=-6.2871", "longitude=106.9703"})
                .code == 0);

    // Two photos (a JPEG as a camera takes it, a PNG) and the two signatures.
    test::writeJpegPhoto(berkas.file("depan.jpg"), 640, 480, 1);
    test::writeJpegPhoto(berkas.file("samping.jpg"), 480, 640, 2);
    test::writeSignaturePng(berkas.file("signature-verifier.png"), 1);
    test::writeSignaturePng(berkas.file("signature-applicant.png"), 2);
    {
        model::StoreOptions o;
        o.dataDir = berkas.dir;
        model::CaseStore store(o);
        for (const char* name : {"depan.jpg", "samping.jpg", "signature-verifier.png", "signature-applicant.png"})
            model::addAttachment(store, task, berkas.file(name));
    }

    const std::string pdf = berkas.file("bap.pdf");
    const Result report = berkas({"report", "bap", task, "--to=" + pdf, "--office-name=DPMPTSP Kota Contoh",
                                  "--office-address=Jl. Merdeka No. 1, Kota Contoh"});
    INFO(report.err);
    REQUIRE(report.code == 0);
    const std::string number = report.out.substr(0, report.out.find('\t'));
    CHECK_THAT(number, Catch::Matches("BAP/P-[0-9A-F]{6}-000001/[0-9A-F]{6}"));
    CHECK(report.out.find("2 photos, 2 signatures") != std::string::npos);
    CHECK_FALSE(Poco::File(pdf + ".partial").exists());
    // Left for a person to look at, as the status page's screenshots are.
    Poco::File(BERKAS_ARTIFACTS_DIR).createDirectories();
    Poco::File(pdf).copyTo(std::string(BERKAS_ARTIFACTS_DIR) + "/bap-report.pdf");

    const Result info = runProgram("/usr/bin/pdfinfo", {pdf});
    REQUIRE(info.code == 0);
    CHECK_THAT(info.out, Catch::Matches("(.|\n)*Pages: +2\n(.|\n)*"));

    const Result text = runProgram("/usr/bin/pdftotext", {"-layout", pdf, "-"});
    REQUIRE(text.code == 0);
    for (const std::string& expected :
         {std::string("DPMPTSP Kota Contoh"), std::string("BERITA ACARA PEMERIKSAAN LAPANGAN"), "Nomor: " + number,
          std::string("Sari Wulandari"), std::string("vera.sintetis"), items[0], std::string("Tidak sesuai"),
          std::string("Pagar depan melewati garis sempadan"), std::string("-6.2871, 106.9703"),
          std::string("Perlu perbaikan dokumen"), std::string("Jatiasih"), std::string("Kota Bekasi, ")})
    {
        INFO(expected);
        CHECK(text.out.find(expected) != std::string::npos);
    }

    // pdfimages -list: the two photos kept as JPEG, the two signatures.
    const test::PdfImageCount images = test::pdfImages(pdf);
    CHECK(images.jpegs == 2);
    CHECK(images.others >= 2);

    SECTION("the letterhead given once is kept for the next report")
    {
        const std::string again = berkas.file("lagi.pdf");
        REQUIRE(berkas({"report", "bap", task, "--to=" + again}).code == 0);
        const Result t = runProgram("/usr/bin/pdftotext", {again, "-"});
        CHECK(t.out.find("DPMPTSP Kota Contoh") != std::string::npos);
        CHECK(t.out.find("Jl. Merdeka No. 1, Kota Contoh") != std::string::npos);
    }
    SECTION("a record that is not a task, and a photo that is not an image")
    {
        const Result wrong = berkas({"report", "bap", app, "--to=" + berkas.file("x.pdf")});
        CHECK(wrong.code == 1);
        CHECK(wrong.err == "id: " + app + " is a application, not a task\n");
        {
            // A JPEG's first bytes (so it is stored as image/jpeg), then no JPEG.
            std::ofstream(berkas.file("rusak.jpg"), std::ios::binary) << "\xFF\xD8\xFF\xE0 not a photo";
            model::StoreOptions o;
            o.dataDir = berkas.dir;
            model::CaseStore store(o);
            model::addAttachment(store, task, berkas.file("rusak.jpg"));
        }
        const Result broken = berkas({"report", "bap", task, "--to=" + berkas.file("y.pdf")});
        CHECK(broken.code == 1);
        CHECK_THAT(broken.err, Catch::StartsWith("attachment \"rusak.jpg\""));
        CHECK_FALSE(Poco::File(berkas.file("y.pdf")).exists());
        CHECK_FALSE(Poco::File(berkas.file("y.pdf.partial")).exists());
    }
}
