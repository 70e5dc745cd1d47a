#include "bench/CryptoBench.h"
#include "model/Uuid.h"

#include "model/Error.h"
#include "model/KeyRing.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/Stopwatch.h>
#include <Poco/TemporaryFile.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace berkas::bench {

namespace {

const char* const kFields[] = {"service_code", "applicant_name", "nik", "phone", "address", "kecamatan", "channel", "status"};
const char* const kNames[] = {"Ani", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko"};

std::string hex(const std::string& bytes)
{
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : bytes)
    {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string nikOf(std::int64_t i)
{
    std::string serial = std::to_string(10000 + i % 90000);
    return "327509410790" + serial.substr(serial.size() - 4);
}

/// The store's write pattern: per create one transaction with the row, one
/// outbox row per field and one audit row.
void writeCreates(std::ostream& out, std::int64_t creates)
{
    out << "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n"
           "CREATE TABLE application (id TEXT PRIMARY KEY, service_code TEXT, applicant_name TEXT, nik TEXT, "
           "phone TEXT, address TEXT, kecamatan TEXT, channel TEXT, status TEXT, created_at TEXT, updated_at TEXT, "
           "deleted INTEGER DEFAULT 0);\n"
           "CREATE INDEX application_nik ON application(nik);\n"
           "CREATE INDEX application_name ON application(applicant_name COLLATE NOCASE);\n"
           "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, kind TEXT, record_id TEXT, field TEXT, value TEXT, "
           "stamp INTEGER, base INTEGER);\n"
           "CREATE TABLE audit (entry INTEGER PRIMARY KEY, at TEXT, user TEXT, record_id TEXT, changes TEXT);\n";
    std::mt19937 rng(7);
    for (std::int64_t i = 0; i < creates; ++i)
    {
        char id[48];
        std::snprintf(id, sizeof id, "0190a1b2-%04x-7%03x-8%03x-%012llx", static_cast<unsigned>(i >> 16) & 0xffff,
                      static_cast<unsigned>(i & 0xfff), static_cast<unsigned>(rng() & 0xfff),
                      static_cast<unsigned long long>(i));
        const std::string name = std::string(kNames[rng() % 10]) + " " + kNames[rng() % 10] + " " + std::to_string(i);
        const std::string values[] = {"PBG",          name, nikOf(i), "0812345" + std::to_string(10000 + i % 90000),
                                      "Jl. Kenanga No. " + std::to_string(i % 300), "32.75.09", "phone", "draft"};
        out << "BEGIN IMMEDIATE;\nINSERT INTO application VALUES ('" << id << "'";
        for (const auto& v : values)
            out << ",'" << v << "'";
        out << ",'2024-05-01T10:00:00+07:00','2024-05-01T10:00:00+07:00',0);\n";
        for (std::size_t f = 0; f < 8; ++f)
            out << "INSERT INTO outbox (kind, record_id, field, value, stamp, base) VALUES ('application','" << id
                << "','" << kFields[f] << "','" << values[f] << "'," << (1000 * i + static_cast<std::int64_t>(f))
                << ",0);\n";
        out << "INSERT INTO audit (at, user, record_id, changes) VALUES ('2024-05-01T10:00:00+07:00','siti','" << id
            << "','{\"applicant_name\":\"" << name << "\"}');\nCOMMIT;\n";
    }
}

void writeSearches(std::ostream& out, int searches)
{
    for (int i = 0; i < searches; ++i)
    {
        // Without FTS5 (not in Debian's SQLCipher 3.4.1) a name search is a
        // scan of the table: every page read and, keyed, decrypted.
        out << "SELECT count(*) FROM application WHERE applicant_name LIKE '%" << kNames[i % 10] << " "
            << kNames[(i / 10) % 10] << " " << i << "%';\n";
        out << "SELECT id, applicant_name FROM application WHERE nik = '" << nikOf(i * 97) << "';\n";
    }
}

/// Runs @p shell on @p db with @p keyPragma then @p script; seconds.
double runShell(const std::string& shell, const std::string& db, const std::string& keyPragma,
                const std::string& scriptFile)
{
    Poco::Pipe in, out;
    Poco::Stopwatch watch;
    watch.start();
    Poco::ProcessHandle h = Poco::Process::launch(shell, {db}, &in, &out, &out);
    {
        Poco::PipeOutputStream toShell(in);
        toShell << keyPragma << ".read " << scriptFile << "\n.quit\n";
        toShell.close();
    }
    std::string output;
    Poco::PipeInputStream fromShell(out);
    Poco::StreamCopier::copyToString(fromShell, output);
    const int code = h.wait();
    watch.stop();
    if (code != 0 || output.find("Error") != std::string::npos)
        throw Error(ErrorCode::Internal, shell + " failed: " + output.substr(0, 300));
    return static_cast<double>(watch.elapsed()) / 1e6;
}

Poco::JSON::Object::Ptr measureShell(const std::string& shell, const std::string& folder, const std::string& keyPragma,
                                     const std::string& creates, const std::string& searches)
{
    const std::string db = Poco::Path(folder).append("store.db").toString();
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("creates_s", runShell(shell, db, keyPragma, creates));
    o->set("searches_s", runShell(shell, db, keyPragma, searches));
    o->set("file_bytes", static_cast<Poco::Int64>(Poco::File(db).getSize()));
    return o;
}

double ratio(const Poco::JSON::Object::Ptr& a, const Poco::JSON::Object::Ptr& b, const std::string& field)
{
    return a->getValue<double>(field) / b->getValue<double>(field);
}

} // namespace

Poco::JSON::Object::Ptr benchCryptoAtRest(std::int64_t creates, int searches)
{
    const std::string root = (Poco::Path::temp() + "berkas-bench-" + berkas::model::newUuidV7());
    Poco::File(root).createDirectories();
    struct Cleanup
    {
        std::string path;
        ~Cleanup()
        {
            try
            {
                Poco::File(path).remove(true);
            }
            catch (...)
            {
            }
        }
    } cleanup{root};

    const std::string createsFile = Poco::Path(root).append("creates.sql").toString();
    const std::string searchesFile = Poco::Path(root).append("searches.sql").toString();
    {
        std::ofstream c(createsFile);
        writeCreates(c, creates);
        std::ofstream s(searchesFile);
        writeSearches(s, searches);
    }
    const std::string key = model::randomBytes(model::KeyRing::kKeyBytes);
    const std::string keyPragma = "PRAGMA key = \"x'" + hex(key) + "'\";\n";
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    result->set("creates", creates);
    result->set("searches", 2 * searches);

    std::vector<std::pair<std::string, Poco::JSON::Object::Ptr>> runs;
    for (const auto& [name, shell, pragma] :
         std::vector<std::tuple<std::string, std::string, std::string>>{{"sqlcipher_keyed", "/usr/bin/sqlcipher", keyPragma},
                                                                        {"sqlcipher_unkeyed", "/usr/bin/sqlcipher", ""},
                                                                        {"sqlite3_3_40", "/usr/bin/sqlite3", ""}})
    {
        const std::string folder = Poco::Path(root).append(name).toString();
        Poco::File(folder).createDirectories();
        auto o = measureShell(shell, folder, pragma, createsFile, searchesFile);
        result->set(name, o);
        runs.emplace_back(name, o);
    }
    result->set("creates_ratio_keyed_to_unkeyed", ratio(runs[0].second, runs[1].second, "creates_s"));
    result->set("searches_ratio_keyed_to_unkeyed", ratio(runs[0].second, runs[1].second, "searches_s"));
    result->set("creates_ratio_keyed_to_sqlite3", ratio(runs[0].second, runs[2].second, "creates_s"));
    result->set("searches_ratio_keyed_to_sqlite3", ratio(runs[0].second, runs[2].second, "searches_s"));

    // One unlock: PBKDF2 at the production work factor plus the unwrap.
    {
        const std::string folder = Poco::Path(root).append("keys").toString();
        Poco::File(folder).createDirectories();
        model::KeyRing ring(folder);
        ring.create("siti", "kata-sandi-bench-1");
        Poco::Stopwatch watch;
        watch.start();
        ring.unlock("siti", "kata-sandi-bench-1");
        watch.stop();
        result->set("unlock_ms", static_cast<double>(watch.elapsed()) / 1000.0);
        result->set("unlock_iterations", model::KeyRing::kIterations);
    }
    {
        const std::string photo(5 * 1024 * 1024, 'x');
        Poco::Stopwatch watch;
        watch.start();
        const std::string sealed = model::sealBytes(key, photo);
        watch.stop();
        const double sealS = static_cast<double>(watch.elapsed()) / 1e6;
        watch.restart();
        const std::string opened = model::openSealedBytes(key, sealed);
        watch.stop();
        const double openS = static_cast<double>(watch.elapsed()) / 1e6;
        result->set("attachment_seal_mb_per_s", 5.0 / sealS);
        result->set("attachment_open_mb_per_s", 5.0 / openS);
    }
    return result;
}

} // namespace berkas::bench
