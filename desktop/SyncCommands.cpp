#include "desktop/Commands.h"

#include "desktop/CommandLine.h"
#include "desktop/Session.h"
#include "model/CaseStore.h"
#include "model/Conflict.h"
#include "model/DataFolder.h"
#include "model/Error.h"
#include "model/RefusedChanges.h"
#include "sync/SyncClient.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>

namespace berkas::desktop {

namespace {

std::string readPassword(Invocation& inv)
{
    std::string password;
    std::getline(*inv.in, password);
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    if (password.empty())
        throw Error(ErrorCode::InvalidData, "password: expected on the first line of standard input");
    return password;
}

std::string requireOption(Invocation& inv, const std::string& name)
{
    const auto it = inv.options.find(name);
    if (it == inv.options.end() || it->second.empty())
        throw UsageError("missing --" + name);
    return it->second;
}

int cmdEnroll(Invocation& inv)
{
    if (!inv.args.empty())
        throw UsageError("unexpected argument \"" + inv.args[0] + "\"");
    const std::string server = requireOption(inv, "server");
    const std::string user = requireOption(inv, "user");
    const std::string password = readPassword(inv);
    Session session(inv.dataDir);
    const bool wrapCurrent = session.unlockForLogin(user, password, *inv.in, *inv.err);
    std::string deviceId;
    bool plainHttp = false;
    {
        model::CaseStore store(session.storeOptions());
        sync::SyncClientOptions options;
        if (inv.options.count("ca-file"))
            options.caFile = inv.options["ca-file"];
        sync::SyncClient client(store, options);
        client.enroll(server, user, password);
        deviceId = store.deviceId();
        plainHttp = client.plainHttpOverNetwork();
    }
    if (!wrapCurrent)
        session.folder().rememberPassword(user, password);
    // From here on the data on this laptop is encrypted under a key this
    // password (and each later user's) unlocks.
    session.folder().encrypt(user, password);
    if (plainHttp)
        *inv.err << "warning: " << server << " is plain HTTP: names, NIKs and the login token will cross the network "
                 << "unencrypted; use https:// outside a test network\n";
    *inv.out << "enrolled device " << deviceId << " with " << server << " as " << user << "\n";
    return kExitOk;
}

int cmdLogin(Invocation& inv)
{
    const std::string user = requireOption(inv, "user");
    const std::string password = readPassword(inv);
    Session session(inv.dataDir);
    const bool wrapCurrent = session.unlockForLogin(user, password, *inv.in, *inv.err);
    bool online = false;
    {
        model::CaseStore store(session.storeOptions());
        sync::SyncClient client(store);
        online = client.login(user, password);
    }
    // The password is good now (the central office took it, or offline it
    // is this laptop's last good one): from here on it unlocks the data too.
    if (!wrapCurrent)
        session.folder().rememberPassword(user, password);
    // A laptop from before encryption is encrypted at this first login.
    session.folder().encrypt(user, password);
    if (online)
        *inv.out << "logged in as " << user << "\n";
    else
        *inv.out << "the central office is unreachable; unlocked offline as " << user << "\n";
    return kExitOk;
}

/// Who can unlock this laptop: "user list"; "user remove NAME" takes a
/// user's key away (after a laptop changes hands), unlocking as any command.
int cmdUser(Invocation& inv)
{
    const std::string action = inv.args.empty() ? std::string() : inv.args[0];
    if (action == "list" && inv.args.size() == 1)
    {
        const model::DataFolder folder(inv.dataDir);
        const std::string enrolled = folder.peekSetting("user");
        for (const auto& user : folder.users())
            *inv.out << user << (user == enrolled ? "\tenrolled" : "") << "\n";
        return kExitOk;
    }
    if (action == "remove" && inv.args.size() == 2)
    {
        const auto session = Session::forCommand(inv);
        session->folder().removeUser(inv.args[1]);
        *inv.out << "removed " << inv.args[1] << ": their password no longer unlocks this laptop\n";
        return kExitOk;
    }
    throw UsageError(action.empty() ? "missing list or remove" : "expected: user list, or user remove NAME");
}

int cmdSync(Invocation& inv)
{
    model::CaseStore store(Session::forCommand(inv)->storeOptions());
    sync::SyncClient client(store);
    if (client.plainHttpOverNetwork())
        *inv.err << "warning: syncing over plain HTTP to " << store.setting("server_url")
                 << ": names, NIKs and the login token cross the network unencrypted\n";
    const auto summary = client.sync();
    // The window's status bar shows it ("Last sync"), whichever ran the sync.
    if (!summary.cancelled)
        store.setSetting("last_sync", store.nowIso());
    if (inv.options.count("json"))
    {
        Poco::JSON::Object o;
        o.set("pushed", summary.pushed);
        o.set("pulled", summary.pulled);
        o.set("conflicts", summary.conflicts);
        o.set("refused", summary.refused);
        o.set("cursor", summary.cursor);
        o.set("files_sent", summary.filesSent);
        o.set("files_fetched", summary.filesFetched);
        o.set("files_waiting", summary.filesWaiting);
        o.stringify(*inv.out);
        *inv.out << "\n";
    }
    else
        *inv.out << "pushed " << summary.pushed << ", pulled " << summary.pulled << ", conflicts " << summary.conflicts
                 << ", refused " << summary.refused << "\n";
    // Its own line, only when files moved or wait, so the first line stays as scripts read it.
    if (!inv.options.count("json") && (summary.filesSent || summary.filesFetched || summary.filesWaiting))
        *inv.out << "files sent " << summary.filesSent << ", fetched " << summary.filesFetched << ", waiting "
                 << summary.filesWaiting << "\n";
    if (summary.refused > 0 && !inv.options.count("json"))
        *inv.err << "the central office refused " << summary.refused
                 << " change(s); what you typed is kept: see berkas conflicts\n";
    return kExitOk;
}

int cmdConflicts(Invocation& inv)
{
    model::CaseStore store(Session::forCommand(inv)->storeOptions());
    const auto conflicts = model::openConflicts(store);
    const auto refused = model::RefusedChanges(store).open();
    if (inv.options.count("json"))
    {
        Poco::JSON::Array a;
        for (const auto& c : conflicts)
        {
            const model::Record r = c.toRecord();
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set(model::field::kId, r.id);
            for (const auto& f : model::requireKind(model::kind::kConflict).fields)
                o->set(f.name, r.value(f.name));
            a.add(o);
        }
        // Refused changes: what was typed here ("other_value") against what
        // the record shows ("kept_value"), with the server's code and reason.
        for (const auto& n : refused)
        {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set(model::field::kId, n.id);
            o->set("type", "refused");
            o->set(model::field::kRecordKind, n.recordKind);
            o->set(model::field::kRecordId, n.recordId);
            o->set(model::field::kField, n.field);
            o->set(model::field::kKeptValue, n.serverValue);
            o->set(model::field::kOtherValue, n.value);
            o->set("code", n.code);
            o->set("reason", n.reason);
            o->set("record_kept", n.held);
            o->set(model::field::kStatus, n.status);
            o->set("at", n.at);
            a.add(o);
        }
        a.stringify(*inv.out);
        *inv.out << "\n";
        return kExitOk;
    }
    for (const auto& c : conflicts)
        *inv.out << c.id << "\t" << c.recordKind << " " << c.recordId << "\t" << c.field << "\tkept: \""
                 << c.keptValue.value_or("") << "\" (" << c.keptUser << ", " << c.keptAt.value_or("") << ")\tother: \""
                 << c.otherValue.value_or("") << "\" (" << c.otherUser << ", " << c.otherAt.value_or("") << ")"
                 << (c.needsReview ? "\tneeds review" : "") << "\n";
    for (const auto& n : refused)
        *inv.out << n.id << "\t" << n.recordKind << " " << n.recordId << "\t" << n.field << "\trefused: \"" << n.value
                 << "\" (" << n.code << ": " << n.reason << ")\t"
                 << (n.held ? "shows: \"" + n.serverValue + "\"" : std::string("record not kept")) << "\n";
    return kExitOk;
}

int cmdResolve(Invocation& inv)
{
    if (inv.args.size() != 1)
        throw UsageError("expected one CONFLICT_ID");
    const std::string keep = requireOption(inv, "keep");
    model::CaseStore store(Session::forCommand(inv)->storeOptions());
    model::RefusedChanges refused(store);
    const bool refusal = refused.find(inv.args[0]).has_value();
    if (keep.rfind("value=", 0) == 0)
        refusal ? refused.settle(inv.args[0], "value", keep.substr(6))
                : store.resolveConflict(inv.args[0], "value", keep.substr(6));
    else
        refusal ? refused.settle(inv.args[0], keep) : store.resolveConflict(inv.args[0], keep);
    *inv.out << "resolved " << inv.args[0] << "\n";
    return kExitOk;
}

} // namespace

int runSyncCommand(Invocation& inv)
{
    if (inv.command == "enroll")
        return cmdEnroll(inv);
    if (inv.command == "login")
        return cmdLogin(inv);
    if (inv.command == "user")
        return cmdUser(inv);
    if (inv.command == "sync")
        return cmdSync(inv);
    if (inv.command == "conflicts")
        return cmdConflicts(inv);
    if (inv.command == "resolve")
        return cmdResolve(inv);
    throw UsageError("unknown command");
}

} // namespace berkas::desktop
