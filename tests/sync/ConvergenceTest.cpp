#include "tests/sync/ApiClient.h"
#include "tests/sync/SyncFixture.h"

#include "model/RefusedChanges.h"

#include "model/Error.h"
#include "model/Workflow.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Net/NetException.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace berkas;
using test::Laptop;
using test::TestServer;

namespace {

/// Faults injected into every laptop's HTTP traffic while enabled.
struct Faults
{
    std::mt19937* rng = nullptr;
    bool enabled = true;
    double dropRequest = 0.05;
    double dropAnswer = 0.05;
    int injected = 0;

    bool roll(double p)
    {
        return enabled && std::uniform_real_distribution<double>(0, 1)(*rng) < p;
    }
};

/// Every record of every kind on a laptop, deleted ones included.
std::map<std::string, model::FieldMap> snapshot(model::CaseStore& store)
{
    std::map<std::string, model::FieldMap> all;
    for (const auto& kind : model::kinds())
    {
        model::ListQuery q;
        q.kind = kind.name;
        q.includeDeleted = true;
        for (const auto& r : store.list(q))
            all[r.id] = test::visibleFields(r);
    }
    return all;
}

const std::vector<std::string> kEditable = {"phone", "address", "applicant_name", "email", "kelurahan"};

std::string randomValue(std::mt19937& rng, const std::string& field, int n)
{
    switch (field[0])
    {
    case 'p': return "08123" + std::to_string(100000 + static_cast<int>(rng() % 899999));
    case 'a':
        if (field == "address")
            return "Jl. Uji No. " + std::to_string(n);
        return "Pemohon " + std::to_string(n);
    case 'e': return "uji" + std::to_string(n) + "@contoh.id";
    default: return rng() % 2 ? "32.75.09.1001" : "32.75.09.1002";
    }
}

/// Values no replica may ever hold: what a foreign client pushes wrongly.
const std::vector<std::pair<std::string, std::string>> kInvalid = {
    {"nik", "123"}, {"phone", "bukan nomor"}, {"email", "tanpa-at"}, {"status", "hilang"},
    {"kecamatan", "99.99.99"}, {"channel", "fax"}, {"reg_no", "2026/PBG/999999"}};

} // namespace

TEST_CASE("Sync: random offline work on three laptops converges and loses no write", "[sync][property]")
{
    // BERKAS_PROPERTY_SEEDS seeds from BERKAS_PROPERTY_FIRST_SEED on.
    const char* env = std::getenv("BERKAS_PROPERTY_SEEDS");
    const char* first = std::getenv("BERKAS_PROPERTY_FIRST_SEED");
    const int seeds = env ? std::atoi(env) : 12;
    const int firstSeed = first ? std::atoi(first) : 1;
    const int steps = 250;
    for (int seed = firstSeed; seed < firstSeed + seeds; ++seed)
    {
        CAPTURE(seed);
        INFO("reproduce with seed " << seed);
        std::mt19937 rng(static_cast<std::uint32_t>(seed));
        Faults faults;
        faults.rng = &rng;

        TestServer server;
        for (const auto& name : {"u0", "u1"})
            server.addUser(name, "manager");
        // The third laptop is a clerk's of 32.75.09, where every application
        // of this test lives: its moves of one elsewhere are refused.
        server.addUser("u2", "clerk", "32.75.09");
        std::vector<std::unique_ptr<Laptop>> laptops;
        for (int i = 0; i < 3; ++i)
        {
            laptops.push_back(std::make_unique<Laptop>(server, "u" + std::to_string(i)));
            auto& l = *laptops.back();
            l.options.maxAttempts = 3;
            l.options.beforeRequest = [&faults](const std::string&) {
                if (faults.roll(faults.dropRequest))
                {
                    ++faults.injected;
                    throw Poco::Net::ConnectionRefusedException("request dropped (test)");
                }
            };
            l.options.afterAnswer = [&faults](const std::string&) {
                if (faults.roll(faults.dropAnswer))
                {
                    ++faults.injected;
                    throw Poco::Net::ConnectionResetException("answer dropped (test)");
                }
            };
            l.open();
        }

        // Writes by stamp, and the stamps a later local write replaced.
        std::set<std::string> writes;
        std::set<std::string> superseded;
        std::map<std::string, std::string> writeWhat;
        std::map<std::string, std::pair<std::string, std::string>> writeField; // stamp -> (id, field)
        std::map<std::string, std::string> writeValue;
        const auto track = [&](Laptop& l, const std::string& id, const std::string& field,
                               const std::optional<model::ReplicaState>& before) {
            if (before)
            {
                // The writer saw the old value: every write of that value to
                // this field is knowingly replaced (two laptops may have
                // written the same value concurrently).
                const auto old = before->stampOf(field);
                if (!old.isZero())
                    superseded.insert(model::formatStamp(old));
                for (const auto& [w, where] : writeField)
                    if (where == std::make_pair(id, field) && writeValue[w] == before->record.value(field))
                        superseded.insert(w);
            }
            const auto stamp = model::formatStamp(l.store->fieldStamp(l.store->get(id), field));
            writes.insert(stamp);
            writeWhat[stamp] = id + "." + field + "=" + l.store->get(id).value(field);
            writeField[stamp] = {id, field};
            writeValue[stamp] = l.store->get(id).value(field);
        };

        // A foreign client pushing values no laptop would write.
        test::ApiClient foreign(server);
        REQUIRE(foreign.enroll("u0") == 200);
        // Folders copied aside, to be put back later as from a backup.
        std::vector<std::unique_ptr<test::TempDir>> copies(laptops.size());
        int restores = 0;
        std::set<std::string> restoredDevices;
        int refusedWrites = 0;
        int foreignRefused = 0;

        int created = 0;
        for (int step = 0; step < steps; ++step)
        {
            Laptop& l = *laptops[rng() % laptops.size()];
            model::ListQuery all;
            all.kind = "application";
            const auto apps = l.store->list(all);
            const int op = static_cast<int>(rng() % 100);
            try
            {
                if (op < 15 || apps.empty())
                {
                    const std::string id = l.newApplication("Pemohon " + std::to_string(++created));
                    track(l, id, "applicant_name", std::nullopt);
                }
                else if (op < 55)
                {
                    const auto& r = apps[rng() % apps.size()];
                    const std::string field = kEditable[rng() % kEditable.size()];
                    const auto before = l.store->replicaState("application", r.id);
                    const std::string value = randomValue(rng, field, step);
                    const std::string& old = before->record.value(field);
                    if (old != value && !(field == "phone" && old == "+62" + value.substr(1)))
                    {
                        l.store->update(r.id, {{field, value}});
                        track(l, r.id, field, before);
                    }
                }
                else if (op < 68)
                {
                    const auto& r = apps[rng() % apps.size()];
                    const auto moves = model::allowedMoves("application", r.value("status"));
                    if (!moves.empty() && !l.store->hasReviewConflict(r.id))
                    {
                        const auto before = l.store->replicaState("application", r.id);
                        l.store->update(r.id, {{"status", moves[rng() % moves.size()]}});
                        track(l, r.id, "status", before);
                    }
                }
                else if (op < 71)
                {
                    const auto& r = apps[rng() % apps.size()];
                    const auto before = l.store->replicaState("application", r.id);
                    l.store->remove(r.id);
                    track(l, r.id, "deleted", before);
                }
                else if (op < 78)
                {
                    const auto conflicts = l.openConflicts();
                    if (!conflicts.empty())
                    {
                        const auto& c = conflicts[rng() % conflicts.size()];
                        const auto before = l.store->replicaState(c.value("record_kind"), c.value("record_id"));
                        const std::string keep = rng() % 2 ? "local" : "remote";
                        l.store->resolveConflict(c.id, keep);
                        if (before && before->record.kind == "application")
                        {
                            // A person's resolution is a write made knowing both values.
                            const auto after = l.store->replicaState("application", before->record.id);
                            for (const auto& field : {"phone", "address", "applicant_name", "email", "kelurahan", "status", "deleted"})
                                if (after->stampOf(field) != before->stampOf(field))
                                    track(l, before->record.id, field, before);
                        }
                    }
                }
                else if (op < 81)
                {
                    if (&l == laptops[2].get() && !apps.empty())
                    {
                        // The clerk moves an application out of her kecamatan.
                        const auto& r = apps[rng() % apps.size()];
                        const auto before = l.store->replicaState("application", r.id);
                        if (!before->record.deleted())
                        {
                            l.store->update(r.id, {{"kecamatan", "32.75.01"}, {"kelurahan", ""}});
                            track(l, r.id, "kecamatan", before);
                            if (!before->record.value("kelurahan").empty())
                                track(l, r.id, "kelurahan", before);
                            ++refusedWrites;
                        }
                    }
                    else if (!apps.empty())
                    {
                        const auto& r = apps[rng() % apps.size()];
                        const auto& [field, value] = kInvalid[rng() % kInvalid.size()];
                        const test::Answer a = foreign.push("application", r.id, {{field, value}});
                        REQUIRE(a.status == 200);
                        CHECK(a.json()->getValue<int>("refused") == 1);
                        ++foreignRefused;
                    }
                }
                else if (op < 84)
                {
                    // A laptop's folder copied aside, or put back from that
                    // copy once everything written since is acknowledged.
                    const std::size_t i = static_cast<std::size_t>(rng() % laptops.size());
                    Laptop& r = *laptops[i];
                    if (!copies[i])
                    {
                        copies[i] = std::make_unique<test::TempDir>("copy");
                        r.client.reset();
                        r.store.reset();
                        test::copyFolder(r.dir.path, copies[i]->path);
                        r.open();
                    }
                    else if (r.store->outboxSize() == 0)
                    {
                        r.client.reset();
                        r.store.reset();
                        test::copyFolder(copies[i]->path, r.dir.path);
                        copies[i].reset();
                        r.open();
                        ++restores;
                        restoredDevices.insert(r.store->deviceId());
                    }
                }
                else if (op < 98)
                {
                    l.sync();
                }
                else
                {
                    server.restart();
                }
            }
            catch (const Error& e)
            {
                // Refused writes (workflow, deleted records) and syncs that
                // gave up after the injected faults are expected; a storage
                // error is not.
                REQUIRE(e.code() != ErrorCode::Storage);
                REQUIRE(e.code() != ErrorCode::Internal);
            }
        }

        // Connectivity returns: everybody syncs until nothing moves.
        faults.enabled = false;
        for (int round = 0; round < 4; ++round)
            for (auto& l : laptops)
                l->sync();

        const auto reference = snapshot(*laptops[0]->store);
        for (std::size_t i = 1; i < laptops.size(); ++i)
        {
            CAPTURE(i);
            const auto other = snapshot(*laptops[i]->store);
            for (const auto& [id, fields] : reference)
                if (!other.count(id))
                    std::cout << "missing on laptop " << i << ": " << id << " " << fields.size() << " fields, kecamatan "
                              << (fields.count("kecamatan") ? fields.at("kecamatan") : "-") << " record_id "
                              << (fields.count("record_id") ? fields.at("record_id") : "-") << " app "
                              << (fields.count("application_id") ? fields.at("application_id") : "-") << " field "
                              << (fields.count("field") ? fields.at("field") : "-") << " "
                              << (fields.count("resolution") ? fields.at("resolution") : "-") << " status "
                              << (fields.count("status") ? fields.at("status") : "-") << " users "
                              << (fields.count("kept_user") ? fields.at("kept_user") : "-") << "/"
                              << (fields.count("other_user") ? fields.at("other_user") : "-") << " parent on clerk: "
                              << (fields.count("record_id") && laptops[i]->store->find(fields.at("record_id")) ? "yes" : "no")
                              << " in server scope: " << server.store->scope({"u2", "clerk", "32.75.09"}).count(id)
                              << " parent in scope: "
                              << server.store->scope({"u2", "clerk", "32.75.09"}).count(fields.count("record_id") ? fields.at("record_id") : "")
                              << " parent kind on server: "
                              << server.store->value(fields.count("record_id") ? fields.at("record_id") : "", "record_kind").value_or("?")
                              << "\n";
            for (const auto& [id, fields] : other)
                if (!reference.count(id))
                    std::cout << "extra on laptop " << i << ": " << id << "\n";
            REQUIRE(other.size() == reference.size());
            for (const auto& [id, fields] : reference)
            {
                CAPTURE(id);
                REQUIRE(other.count(id));
                CHECK(other.at(id) == fields);
            }
        }
        // The server agrees with the laptops on every field (the seeded
        // service catalog is the same everywhere and never pushed).
        for (const auto& [id, fields] : reference)
            for (const auto& [name, value] : fields)
                if (name != "id" && !laptops[0]->store->find("service", id))
                    CHECK(server.store->value(id, name).value_or(name == "deleted" ? "0" : "") == value);

        // Every write is the current value or kept in a conflict record,
        // unless a later write was made knowing it.
        std::set<std::string> keptInConflicts;
        std::set<std::string> current;
        model::ListQuery cq;
        cq.kind = "conflict";
        // (record, field, value) -> the stamps conflicts keep that value with.
        std::map<std::tuple<std::string, std::string, std::string>, std::vector<model::Stamp>> keptValues;
        for (const auto& c : laptops[0]->store->list(cq))
        {
            keptInConflicts.insert(c.value("kept_stamp"));
            keptInConflicts.insert(c.value("other_stamp"));
            for (const auto& side : {"kept", "other"})
                keptValues[{c.value("record_id"), c.value("field"), c.value(std::string(side) + "_value")}].push_back(
                    model::parseStamp(c.value(std::string(side) + "_stamp")));
        }
        for (const auto& kind : {"application"})
        {
            model::ListQuery q;
            q.kind = kind;
            q.includeDeleted = true;
            for (const auto& r : laptops[0]->store->list(q))
                for (const auto& field : {"phone", "address", "applicant_name", "email", "kelurahan", "kecamatan",
                                          "status", "deleted"})
                    current.insert(model::formatStamp(laptops[0]->store->fieldStamp(r, field)));
        }
        // What laptops keep of the changes the server refused, settled or not.
        std::set<std::tuple<std::string, std::string, std::string>> refusedKept;
        for (auto& l : laptops)
        {
            model::Statement s(l->store->database(), "SELECT record_id, field, value FROM refusal");
            while (s.step())
                refusedKept.insert({s.text(0), s.text(1), s.text(2)});
        }
        // A laptop put back from a copy made before a refusal no longer has
        // its notice; the server's audit keeps the refused value.
        std::set<std::tuple<std::string, std::string, std::string, std::string>> refusedAudited;
        for (const auto& a : server.store->audit())
            if (a.outcome == "refused")
                refusedAudited.insert({a.device, a.recordId, a.field, a.value.value_or("")});
        const auto keptAsRefused = [&](const std::string& w) {
            const auto& [id, field] = writeField[w];
            if (refusedKept.count({id, field, writeValue[w]}))
                return true;
            const std::string device = model::parseStamp(w).device;
            return restoredDevices.count(device) && refusedAudited.count({device, id, field, writeValue[w]});
        };
        // No replica holds a value a foreign client pushed wrongly.
        for (auto& l : laptops)
            for (const auto& [id, fields] : snapshot(*l->store))
                for (const auto& [field, value] : kInvalid)
                    if (fields.count(field))
                        CHECK(fields.at(field) != value);
        // Two laptops writing the same value concurrently is one write.
        const auto sameValueNow = [&](const std::string& w) {
            const auto& [id, field] = writeField[w];
            const auto r = laptops[0]->store->find(id);
            return r && r->value(field) == writeValue[w];
        };
        // Two laptops writing the same value concurrently merge into the
        // later of the two writes; a conflict then keeps that one.
        const auto sameValueKept = [&](const std::string& w) {
            const auto& [id, field] = writeField[w];
            const auto it = keptValues.find({id, field, writeValue[w]});
            if (it == keptValues.end())
                return false;
            const model::Stamp mine = model::parseStamp(w);
            return std::any_of(it->second.begin(), it->second.end(),
                               [&](const model::Stamp& kept) { return !(kept < mine); });
        };
        int lost = 0;
        int merged = 0; // writes that live on as a concurrent write of the same value
        for (const auto& w : writes)
            if (!superseded.count(w) && !current.count(w) && !keptInConflicts.count(w) && !sameValueNow(w) &&
                !keptAsRefused(w))
            {
                if (sameValueKept(w))
                {
                    ++merged;
                    continue;
                }
                const auto& [id, field] = writeField[w];
                std::cout << "  final: " << laptops[0]->store->get(id).value(field) << " stamp "
                          << model::formatStamp(laptops[0]->store->fieldStamp(laptops[0]->store->get(id), field)) << "\n";
                for (const auto& h : laptops[0]->store->history(id))
                    if (h.field == field)
                        std::cout << "  history " << h.source << " " << h.user << " " << h.oldValue << " -> " << h.newValue << "\n";
                // What the server made of it, to tell a write that never
                // arrived from one merged away.
                for (const auto& a : server.store->audit())
                    if (a.recordId == id && a.field == field)
                        std::cout << "  server audit " << a.device << " #" << a.changeSeq << " "
                                  << a.value.value_or("(null)") << " " << a.outcome << " " << a.reason << "\n";
                ++lost;
                std::cout << "lost write " << w << " " << writeWhat[w] << "\n";
            }
        CHECK(lost == 0);
        CHECK(writes.size() > 20);
        std::cout << "convergence seed " << seed << ": " << writes.size() << " writes, " << faults.injected
                  << " faults injected, " << keptInConflicts.size() / 2 << " conflicts, " << merged
                  << " writes merged into an equal concurrent one, " << refusedWrites << " refused moves, " << foreignRefused
                  << " invalid values from a foreign client refused, " << restores
                  << " laptops restored from a copy\n";
    }
}
