#include "desktop/Commands.h"

#include "desktop/CommandLine.h"
#include "desktop/Session.h"
#include "model/ServiceCatalog.h"
#include "model/CaseStore.h"
#include "model/DemoData.h"
#include "desktop/BapReport.h"
#include "model/Error.h"
#include "model/FieldDay.h"
#include "model/RecordNumber.h"
#include "model/Schema.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>

#include <iostream>
#include <sstream>

namespace berkas::desktop {

namespace {

using model::CaseStore;
using model::FieldMap;
using model::KindDef;
using model::Record;

/// "field=value" arguments into a map; the value may itself contain '='.
FieldMap parseAssignments(const std::vector<std::string>& args, std::size_t first)
{
    FieldMap fields;
    for (std::size_t i = first; i < args.size(); ++i)
    {
        const auto eq = args[i].find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("expected field=value, got \"" + args[i] + "\"");
        const std::string name = args[i].substr(0, eq);
        if (fields.count(name))
            throw UsageError("field " + name + " given twice");
        fields[name] = args[i].substr(eq + 1);
    }
    return fields;
}

/// A value as JSON: numbers and booleans typed, empty as null.
Poco::Dynamic::Var jsonValue(const KindDef& kind, const std::string& name, const std::string& value)
{
    if (value.empty())
        return Poco::Dynamic::Var();
    const model::FieldDef* fd = kind.field(name);
    if (name == model::field::kDeleted || (fd && fd->type == model::FieldType::Bool))
        return value == "1";
    if (fd && (fd->type == model::FieldType::Integer))
    {
        Poco::Int64 n = 0;
        if (Poco::NumberParser::tryParse64(value, n))
            return n;
    }
    if (fd && (fd->type == model::FieldType::Latitude || fd->type == model::FieldType::Longitude ||
               fd->type == model::FieldType::Real))
    {
        double d = 0;
        if (Poco::NumberParser::tryParseFloat(value, d))
            return d;
    }
    return value;
}

Poco::JSON::Object::Ptr toJson(const Record& r)
{
    const KindDef& kind = model::requireKind(r.kind);
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set(model::field::kId, r.id);
    o->set("kind", r.kind);
    for (const auto& f : kind.fields)
        o->set(f.name, jsonValue(kind, f.name, r.value(f.name)));
    for (const auto& name : {model::field::kCreatedAt, model::field::kUpdatedAt, model::field::kDeleted})
        o->set(name, jsonValue(kind, name, r.value(name)));
    return o;
}

void printJson(std::ostream& out, const Poco::Dynamic::Var& v)
{
    if (v.type() == typeid(Poco::JSON::Object::Ptr))
        v.extract<Poco::JSON::Object::Ptr>()->stringify(out);
    else
        v.extract<Poco::JSON::Array::Ptr>()->stringify(out);
    out << "\n";
}

/// The columns `list` shows without --json.
std::vector<std::string> summaryColumns(const std::string& kind)
{
    if (kind == model::kind::kApplication)
        return {"number",           model::field::kServiceCode, model::field::kApplicantName,
                model::field::kKecamatan, model::field::kStatus,    model::field::kDueDate};
    if (kind == model::kind::kTask)
        return {model::field::kApplicationId, model::field::kAssignedTo, model::field::kScheduledFor,
                model::field::kStatus, model::field::kResult};
    if (kind == model::kind::kComplaint)
        return {model::field::kKind,    model::field::kChannel, model::field::kComplainantName,
                model::field::kSubject, model::field::kStatus,  model::field::kDueDate};
    if (kind == model::kind::kBooking)
        return {model::field::kCode,        model::field::kDate,          model::field::kSlot,
                model::field::kServiceCode, model::field::kApplicantName, model::field::kStatus};
    if (kind == model::kind::kService)
        return {model::field::kCode, model::field::kName, model::field::kSlaDays,
                model::field::kSuspendedFrom, model::field::kSuspendedTo};
    if (kind == model::kind::kRequirement)
        return {model::field::kApplicationId, model::field::kFulfilled, model::field::kCheckedBy,
                model::field::kRequirement};
    if (kind == model::kind::kConflict)
        return {model::field::kRecordKind, model::field::kRecordId,   model::field::kField,
                model::field::kKeptValue,  model::field::kOtherValue, model::field::kNeedsReview,
                model::field::kStatus};
    return {};
}

/// The number people see: the final reg_no, else the provisional one, marked.
std::string displayNumber(const Record& r)
{
    const model::RecordNumber n = model::recordNumber(r);
    return n.provisional ? n.number + " (provisional)" : n.number;
}

void printTable(std::ostream& out, const std::string& kind, const std::vector<Record>& rows)
{
    const auto cols = summaryColumns(kind);
    out << model::field::kId;
    for (const auto& c : cols)
        out << "\t" << c;
    out << "\n";
    for (const auto& r : rows)
    {
        out << r.id;
        for (const auto& c : cols)
            out << "\t" << (c == "number" ? displayNumber(r) : r.value(c));
        out << "\n";
    }
}

void printRecord(std::ostream& out, const Record& r)
{
    const KindDef& kind = model::requireKind(r.kind);
    out << "id: " << r.id << "\nkind: " << r.kind << "\n";
    for (const auto& f : kind.fields)
    {
        std::string v = r.value(f.name);
        if (f.name == model::field::kProvisionalNo && model::recordNumber(r).provisional)
            v += " (provisional)";
        out << f.name << ": " << v << "\n";
    }
    for (const auto& name : {model::field::kCreatedAt, model::field::kUpdatedAt, model::field::kDeleted})
        out << name << ": " << r.value(name) << "\n";
}

void printWarnings(const Invocation& inv, CaseStore& store, const std::string& kind, const std::string& id,
                   const FieldMap& fields)
{
    const auto report = store.check(kind, id, fields);
    for (const auto& p : report.problems())
        if (p.severity == model::Severity::Warning)
            *inv.err << "warning: " << p.field << ": " << p.message() << "\n";
}

int cmdSchema(Invocation& inv)
{
    const bool json = inv.options.count("json");
    Poco::JSON::Array::Ptr all = new Poco::JSON::Array;
    for (const auto& kind : model::kinds())
    {
        if (!inv.args.empty() && inv.args[0] != kind.name)
            continue;
        if (inv.args.empty() && !kind.userKind)
            continue;
        Poco::JSON::Object::Ptr k = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        k->set("kind", kind.name);
        Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
        if (!json)
            *inv.out << kind.name << "\n";
        for (const auto& f : kind.fields)
        {
            std::string allowed;
            for (const auto& a : f.allowed)
                allowed += (allowed.empty() ? "" : ", ") + a;
            std::string notes;
            if (f.required)
                notes += " required";
            if (f.access == model::FieldAccess::Computed)
                notes += " computed";
            if (f.access == model::FieldAccess::Server)
                notes += " assigned-by-server";
            if (f.access == model::FieldAccess::CreateOnly)
                notes += " set-at-creation";
            if (f.policy == model::MergePolicy::Review)
                notes += " review-on-conflict";
            if (json)
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                o->set("name", f.name);
                o->set("type", model::typeName(f.type));
                Poco::JSON::Array::Ptr values = new Poco::JSON::Array;
                for (const auto& a : f.allowed)
                    values->add(a);
                o->set("allowed", values);
                o->set("required", f.required);
                o->set("notes", notes.empty() ? "" : notes.substr(1));
                fields->add(o);
            }
            else
                *inv.out << "  " << f.name << "\t" << model::typeName(f.type) << (allowed.empty() ? "" : ": " + allowed)
                         << notes << "\n";
        }
        k->set("fields", fields);
        all->add(k);
    }
    if (!inv.args.empty() && all->size() == 0)
        model::requireKind(inv.args[0]);
    if (json)
        printJson(*inv.out, all);
    return kExitOk;
}

int cmdNew(Invocation& inv)
{
    if (inv.args.empty())
        throw UsageError("missing KIND");
    const KindDef& kind = model::requireKind(inv.args[0]);
    if (!kind.userKind)
        throw Error(ErrorCode::InvalidData, "kind: " + kind.name + " records are not created with new");
    const FieldMap fields = parseAssignments(inv.args, 1);
    CaseStore store(Session::forCommand(inv)->storeOptions());
    printWarnings(inv, store, kind.name, "", fields);
    *inv.out << store.create(kind.name, fields) << "\n";
    return kExitOk;
}

int cmdSet(Invocation& inv)
{
    if (inv.args.size() < 2)
        throw UsageError(inv.args.empty() ? "missing ID" : "missing field=value");
    const FieldMap fields = parseAssignments(inv.args, 1);
    CaseStore store(Session::forCommand(inv)->storeOptions());
    const Record r = store.get(inv.args[0]);
    printWarnings(inv, store, r.kind, r.id, fields);
    store.update(r.id, fields);
    return kExitOk;
}

int cmdGet(Invocation& inv)
{
    if (inv.args.size() != 1)
        throw UsageError("expected one ID");
    CaseStore store(Session::forCommand(inv)->storeOptions());
    const Record r = store.get(inv.args[0]);
    if (inv.options.count("json"))
        printJson(*inv.out, toJson(r));
    else
    {
        printRecord(*inv.out, r);
        // Why the due date is later than the SLA alone (model::slaPauses).
        if (r.kind == model::kind::kApplication)
            for (const auto& s : model::slaPauses(store, r))
                *inv.out << "sla_paused_by: " << s.title() << " (" << s.from << " to "
                         << (s.to.empty() ? std::string("further notice") : s.to) << ")\n";
    }
    return kExitOk;
}

int cmdList(Invocation& inv)
{
    if (inv.args.size() != 1)
        throw UsageError("expected one KIND");
    model::ListQuery q;
    q.kind = model::requireKind(inv.args[0]).name;
    for (const auto& w : inv.where)
    {
        const auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("--where expects field=value, got \"" + w + "\"");
        q.where.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    if (inv.options.count("search"))
        q.search = inv.options["search"];
    if (inv.options.count("limit"))
    {
        int n = 0;
        if (!Poco::NumberParser::tryParse(inv.options["limit"], n) || n < 0)
            throw Error(ErrorCode::InvalidData,
                               "limit: must be a whole number of 0 or more, got \"" + inv.options["limit"] + "\"");
        q.limit = n;
    }
    CaseStore store(Session::forCommand(inv)->storeOptions());
    const auto rows = store.list(q);
    if (inv.options.count("json"))
    {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& r : rows)
            a->add(toJson(r));
        printJson(*inv.out, a);
    }
    else
        printTable(*inv.out, q.kind, rows);
    return kExitOk;
}

int cmdHistory(Invocation& inv)
{
    if (inv.args.size() != 1)
        throw UsageError("expected one ID");
    CaseStore store(Session::forCommand(inv)->storeOptions());
    const auto lines = store.history(inv.args[0]);
    if (inv.options.count("json"))
    {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& l : lines)
        {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("entry", l.entry);
            o->set("at", l.at);
            o->set("user", l.user);
            o->set("device", l.device);
            o->set("source", l.source);
            o->set("field", l.field);
            o->set("old", l.oldValue);
            o->set("new", l.newValue);
            a->add(o);
        }
        printJson(*inv.out, a);
        return kExitOk;
    }
    for (const auto& l : lines)
        *inv.out << l.at << "\t" << l.user << "\t" << l.device << "\t" << l.source << "\t" << l.field << "\t"
                 << l.oldValue << " -> " << l.newValue << "\n";
    return kExitOk;
}

int cmdToday(Invocation& inv)
{
    if (!inv.args.empty())
        throw UsageError("expected no arguments");
    CaseStore store(Session::forCommand(inv)->storeOptions());
    model::Date day = store.today();
    if (inv.options.count("date"))
    {
        const auto parsed = model::Date::parse(inv.options["date"]);
        if (!parsed)
            throw Error(ErrorCode::InvalidData,
                        "date: must be a real date in the form YYYY-MM-DD, got \"" + inv.options["date"] + "\"");
        day = *parsed;
    }
    const std::string user = inv.options.count("user") ? inv.options["user"] : "";
    const auto visits = model::visitsUntil(store, day, user);
    if (inv.options.count("json"))
    {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& v : visits)
        {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("task_id", v.taskId);
            o->set("scheduled_for", v.scheduledFor);
            o->set("status", v.status);
            o->set("assigned_to", v.assignedTo);
            o->set("application_id", v.applicationId);
            o->set("number", v.number);
            o->set("applicant_name", v.applicantName);
            o->set("phone", v.phone);
            o->set("address", v.address);
            o->set("kelurahan", v.kelurahan);
            o->set("kecamatan", v.kecamatan);
            o->set("service_code", v.serviceCode);
            o->set("service_name", v.serviceName);
            a->add(o);
        }
        printJson(*inv.out, a);
        return kExitOk;
    }
    *inv.out << "task_id\tscheduled_for\tstatus\tassigned_to\tnumber\tapplicant_name\taddress\tservice\n";
    for (const auto& v : visits)
        *inv.out << v.taskId << "\t" << v.scheduledFor << "\t" << v.status << "\t" << v.assignedTo << "\t" << v.number
                 << "\t" << v.applicantName << "\t" << v.address << "\t" << v.serviceCode
                 << (v.serviceName.empty() ? "" : " " + v.serviceName) << "\n";
    return kExitOk;
}

int cmdReport(Invocation& inv)
{
    if (inv.args.size() != 2 || inv.args[0] != "bap")
        throw UsageError("expected bap and one TASK_ID");
    if (!inv.options.count("to") || inv.options["to"].empty())
        throw UsageError("--to=FILE.pdf is required");
    CaseStore store(Session::forCommand(inv)->storeOptions());
    // The letterhead given once is kept on this laptop for the next reports,
    // from the command line and from the window's Visit tab.
    const auto given = [&](const char* key, const std::string& fallback = "") {
        return inv.options.count(key) ? inv.options[key] : store.setting(std::string("report.") + key, fallback);
    };
    Letterhead head;
    head.officeName = given("office-name", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu");
    head.officeAddress = given("office-address");
    head.place = given("place");
    const BapSummary s = writeBapReport(store, inv.args[1], head, inv.options["to"]);
    for (const char* key : {"office-name", "office-address", "place"})
        if (inv.options.count(key))
            store.setSetting(std::string("report.") + key, inv.options[key]);
    *inv.out << s.number << "\t" << s.pages << " pages, " << s.photos << " photos, " << s.signatures
             << " signatures\t" << inv.options["to"] << "\n";
    return kExitOk;
}

int cmdImport(Invocation& inv)
{
    if (inv.args.size() != 2)
        throw UsageError("expected KIND and FILE.csv");
    CaseStore store(Session::forCommand(inv)->storeOptions());
    const auto ids = store.importCsv(inv.args[0], inv.args[1]);
    *inv.out << "imported " << ids.size() << " " << inv.args[0] << " records\n";
    return kExitOk;
}

int cmdDemo(Invocation& inv)
{
    int count = 200;
    if (inv.options.count("applications") &&
        (!Poco::NumberParser::tryParse(inv.options["applications"], count) || count < 0))
        throw Error(ErrorCode::InvalidData, "applications: must be a whole number of 0 or more, got \"" +
                                                       inv.options["applications"] + "\"");
    CaseStore store(Session::forCommand(inv)->storeOptions());
    const auto made = model::generateDemoData(store, {count, 42});
    *inv.out << "demo data: " << made.applications << " applications, " << made.tasks << " tasks, "
             << made.complaints << " complaints, " << made.bookings << " bookings\n";
    return kExitOk;
}


} // namespace

int runCommand(Invocation& inv)
{
    static const std::map<std::string, int (*)(Invocation&)> table = {
        {"schema", cmdSchema}, {"new", cmdNew},       {"set", cmdSet},       {"get", cmdGet},
        {"list", cmdList},     {"history", cmdHistory}, {"today", cmdToday}, {"report", cmdReport}, {"import", cmdImport}, {"demo", cmdDemo},       {"export", runExportCommand},
    };
    const auto it = table.find(inv.command);
    if (it == table.end())
        return runAttachCommand(inv);
    return it->second(inv);
}

} // namespace berkas::desktop
