#include "sync/server/PushApplier.h"

#include "model/Assets.h"
#include "model/Conflict.h"
#include "model/Error.h"
#include "model/Regions.h"
#include "model/Schema.h"
#include "model/Uuid.h"
#include "model/Validation.h"
#include "sync/Merge.h"
#include "sync/server/BookingDesk.h"
#include "sync/server/ChangeRules.h"
#include "sync/server/FieldTable.h"
#include "sync/server/MailEvents.h"
#include "sync/server/MailQueue.h"
#include "sync/server/RegNumbers.h"
#include "sync/server/ScopeRules.h"
#include "sync/server/ServerAudit.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/StoredLookup.h"
#include "sync/server/VerificationDesk.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Nullable.h>
#include <Poco/NumberParser.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

/// Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool validUtf8(const std::string& text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;)
    {
        const unsigned char c = s[i];
        std::size_t len = 0;
        unsigned cp = 0;
        if (c < 0x80)
        {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, cp = c & 0x07;
        else
            return false;
        if (i + len > n)
            return false;
        for (std::size_t k = 1; k < len; ++k)
        {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += len;
    }
    return true;
}

/// A field as the server holds it.
struct Current
{
    bool exists = false;
    FieldState state;
    std::string user;
    std::int64_t seq = 0;
};

} // namespace

bool isValidUtf8(const std::string& text)
{
    return validUtf8(text);
}

PushApplier::PushApplier(ServerDatabase& db, FieldTable& fields, ServerAudit& audit, RegNumbers& regNumbers,
                         BookingDesk& bookings, model::HybridLogicalClock& clock)
    : m_db(db), m_fields(fields), m_audit(audit), m_regNumbers(regNumbers), m_bookings(bookings), m_clock(clock),
      m_dueDates(db, fields)
{
}

std::vector<PushResult> PushApplier::push(const Principal& principal, const std::string& deviceId,
                                          std::int64_t clientCursor, const std::vector<WireChange>& incoming,
                                          const std::string& address)
{
    // A copy: a booking a device confirmed without a grant to cover it is
    // taken as tentative (see "Escrow" below).
    std::vector<WireChange> changes(incoming);
    const std::string& user = principal.name;
    auto& s = m_db.session();
    const std::int64_t nowMs = m_db.options().clockMs();

    // Validate the whole batch before writing anything.
    for (const auto& c : changes)
    {
        const model::KindDef* kind = model::findKind(c.kind);
        if (!kind)
            throw Error(ErrorCode::InvalidData, "changes: unknown kind \"" + c.kind + "\" (change " + std::to_string(c.seq) + ")");
        const bool common = c.field == model::field::kCreatedAt || c.field == model::field::kDeleted;
        if (!common && !kind->field(c.field))
            throw Error(ErrorCode::InvalidData,
                        "changes: unknown field \"" + c.field + "\" of " + c.kind + " (change " + std::to_string(c.seq) + ")");
        if (!model::isUuid(c.id))
            throw Error(ErrorCode::InvalidData, "changes: id must be a UUID (change " + std::to_string(c.seq) + ")");
        if (c.value && c.value->size() > kMaxValueBytes)
            throw Error(ErrorCode::InvalidData, "changes: value of " + c.field + " is longer than " +
                                                    std::to_string(kMaxValueBytes) + " bytes (change " +
                                                    std::to_string(c.seq) + ")");
        if (c.value && !validUtf8(*c.value))
            throw Error(ErrorCode::InvalidData,
                        "changes: value of " + c.field + " is not valid UTF-8 (change " + std::to_string(c.seq) + ")");
        if (c.stamp.device != deviceId)
            throw Error(ErrorCode::InvalidData, "changes: stamp of change " + std::to_string(c.seq) +
                                                    " names another device than the one pushing");
        const std::int64_t aheadMs = model::HybridLogicalClock::physicalMs(c.stamp.hlc) - nowMs;
        if (aheadMs > kMaxClockAheadMs)
            throw Error(ErrorCode::InvalidData,
                        "clock: this device's clock is " + std::to_string(aheadMs / 60000) +
                            " minutes ahead of the central office; set the laptop's date and time and sync again");
    }

    // One push at a time, also across server processes that share one
    // PostgreSQL: sequence numbers then commit in order, so a pull never
    // skips one, and a retried push is recognised by whichever process gets it.
    Poco::Data::Transaction tx(s);
    m_audit.discard(); // lines of a push that failed before its commit
    if (m_db.postgres())
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    std::vector<Poco::Tuple<std::int64_t, std::int64_t, std::int64_t>> deviceRows;
    std::string dev = deviceId;
    s << m_db.q("SELECT pushed_seq, pushed_hlc, provisional_seq FROM devices WHERE id = ?"), use(dev), into(deviceRows), now;
    if (deviceRows.empty())
        throw Error(ErrorCode::Unauthorized, "device: this device is not enrolled");
    std::int64_t pushedSeq = deviceRows.front().get<0>();
    std::int64_t pushedHlc = deviceRows.front().get<1>();
    std::int64_t provisionalSeq = deviceRows.front().get<2>();
    const std::int64_t pushedBefore = pushedSeq;

    // What each change is: new, a retry of one already taken (answered as it
    // was the first time), or one whose id this device already used for
    // another change. The last happens when a laptop's folder is put back
    // from an older copy (a backup, a disk image): its change ids start again
    // below what the server took. Device A pushes changes 1-40, its folder
    // is restored from a copy made at change 25, and the user edits offline:
    // the new changes 26, 27, ... are not the ones the server took under
    // those ids. Comparing the stamp (and record and field) tells them apart;
    // from the first such change on nothing applies, and the answer names
    // the server's marks so that the laptop numbers them again after them.
    enum class Kind
    {
        New,
        Duplicate,
        Reused
    };
    std::vector<Kind> kinds(changes.size(), Kind::New);
    std::map<std::int64_t, ServerAudit::TakenChange> taken;
    if (!changes.empty() && changes.front().seq <= pushedSeq)
        taken = m_audit.taken(deviceId, changes.front().seq, pushedSeq);
    bool reusing = false;
    for (std::size_t n = 0; n < changes.size(); ++n)
    {
        const WireChange& c = changes[n];
        if (reusing)
            kinds[n] = Kind::Reused;
        else if (c.seq <= pushedSeq)
        {
            const auto it = taken.find(c.seq);
            // No audit line: taken before audit lines named every change; a retry.
            const bool same = it == taken.end() ||
                              ((it->second.hlc.isNull() || it->second.hlc.value() == c.stamp.hlc) &&
                               it->second.recordId == c.id && it->second.field == c.field);
            kinds[n] = same ? Kind::Duplicate : Kind::Reused;
            reusing = !same;
        }
    }

    // Escrow (sync/PROTOCOL.md, "Escrow"): a new booking a device sends
    // already confirmed was confirmed offline from the slots the central
    // office granted that device; it stands while the grant covers it
    // (counting the others of this batch). One the grant does not cover
    // (a laptop put back from an older copy, a foreign client) is taken as
    // tentative and decided against the pool like any other, so no grant
    // is ever exceeded. A booking the server already holds is not confirmed
    // by a device at all (refused below).
    std::set<std::string> escrowed;
    std::map<std::string, std::array<std::string, 3>> escrowDay; // booking -> location, service, date
    {
        std::map<std::string, std::map<std::string, std::string>> bookingFields;
        for (std::size_t n = 0; n < changes.size(); ++n)
            if (kinds[n] == Kind::New && changes[n].kind == model::kind::kBooking)
                bookingFields[changes[n].id][changes[n].field] = changes[n].value.value_or("");
        std::map<std::array<std::string, 3>, int> pending;
        for (std::size_t n = 0; n < changes.size(); ++n)
        {
            WireChange& c = changes[n];
            if (kinds[n] != Kind::New || c.kind != model::kind::kBooking || c.field != model::field::kStatus ||
                c.value.value_or("") != "confirmed")
                continue;
            std::vector<std::string> held;
            std::string i = c.id;
            s << m_db.q("SELECT kind FROM records WHERE record_id = ?"), use(i), into(held), now;
            if (!held.empty())
                continue;
            auto& f = bookingFields[c.id];
            const std::array<std::string, 3> day{f[model::field::kLocation], f[model::field::kServiceCode],
                                                 f[model::field::kDate]};
            if (m_bookings.escrowAvailable(deviceId, day[0], day[1], day[2], pending[day]))
            {
                ++pending[day];
                escrowed.insert(c.id);
                escrowDay[c.id] = day;
            }
            else
                c.value = std::string("tentative");
        }
    }

    // Value rules, then scope (sync/PROTOCOL.md, "Scope"): each record is
    // judged as the server holds it and as it would stand after the changes
    // of this batch that are not refused, so a clerk's new application is
    // judged by the kecamatan it arrives with, and a requirement of an
    // application refused here is refused with it.
    std::vector<Refusal> refusals(changes.size());
    StoredLookup stored(m_db, m_fields);
    RecordLookup before = stored.lookup;
    // The shipped service catalog is on every replica from the start: an
    // edit of a seeded service is no new record, though the server holds it
    // only from its first edit.
    before.kindOf = [&stored](const std::string& id) -> std::optional<std::string> {
        if (auto k = stored.lookup.kindOf(id))
            return k;
        for (const auto& [code, seeded] : model::referenceServiceIds())
            if (seeded == id)
                return std::string(model::kind::kService);
        return std::nullopt;
    };
    const auto serviceKnown = [&](const std::string& code) {
        if (model::referenceServiceIds().count(code))
            return true;
        std::vector<std::string> rows;
        std::string c = code;
        s << m_db.q("SELECT record_id FROM fields WHERE kind = 'service' AND field = 'code' AND value = ? LIMIT 1"), use(c),
            into(rows), now;
        return !rows.empty();
    };
    {
        const model::Regions& regions = model::Regions::standard();
        for (std::size_t n = 0; n < changes.size(); ++n)
        {
            const WireChange& c = changes[n];
            if (kinds[n] != Kind::New)
                continue;
            const auto held = before.kindOf(c.id);
            if (held && *held != c.kind)
                refusals[n] = {RefusalCode::WrongKind, "id: record " + c.id + " is a " + *held + ", not a " + c.kind};
            else if (!(c.field == model::field::kStatus && escrowed.count(c.id)))
                refusals[n] = checkPushedField(model::requireKind(c.kind), c.field, c.value, !held, regions);
        }
        // Refusing one change can refuse others (a record refused whole
        // takes its requirements with it), so judge again until nothing moves.
        for (bool moved = true; moved;)
        {
            moved = false;
            std::map<std::string, std::string> batchKinds;
            std::map<std::pair<std::string, std::string>, std::optional<std::string>> batchValues;
            std::map<std::string, std::optional<std::string>> firstStatus;
            for (std::size_t n = 0; n < changes.size(); ++n)
            {
                const WireChange& c = changes[n];
                if (kinds[n] != Kind::New || refusals[n])
                    continue;
                batchKinds.emplace(c.id, c.kind);
                batchValues[{c.id, c.field}] = c.value;
                if (c.field == model::field::kStatus)
                    firstStatus.emplace(c.id, escrowed.count(c.id) ? std::optional<std::string>("tentative") : c.value);
            }
            // A record the server holds is judged with the one change at
            // hand laid over it: a clerk's e-mail edit is hers to make even
            // in the batch where she also tried to move the application out
            // (refused). A new record is judged as the batch creates it.
            const WireChange* judged = nullptr;
            RecordLookup after = before;
            after.kindOf = [&](const std::string& id) -> std::optional<std::string> {
                if (auto k = before.kindOf(id))
                    return k;
                if (const auto it = batchKinds.find(id); it != batchKinds.end())
                    return it->second;
                return std::nullopt;
            };
            after.value = [&](const std::string& id, const std::string& field) -> std::optional<std::string> {
                if (judged && judged->id == id && judged->field == field)
                    return judged->value;
                if (!before.kindOf(id))
                    if (const auto it = batchValues.find({id, field}); it != batchValues.end())
                        return it->second;
                return before.value(id, field);
            };
            std::map<std::string, Refusal> wholeRecord; // new records that may not be created
            for (std::size_t n = 0; n < changes.size(); ++n)
            {
                const WireChange& c = changes[n];
                if (kinds[n] != Kind::New || refusals[n])
                    continue;
                judged = &c;
                const model::KindDef& kind = model::requireKind(c.kind);
                const bool held = before.kindOf(c.id).has_value();
                Refusal r;
                if (!held && !wholeRecord.count(c.id))
                {
                    const auto status = firstStatus.find(c.id);
                    wholeRecord[c.id] = checkNewRecord(
                        kind, [&](const std::string& f) { return after.value(c.id, f); },
                        status == firstStatus.end() ? std::nullopt : status->second);
                }
                if (!held && wholeRecord[c.id])
                    r = wholeRecord[c.id];
                const model::FieldDef* fd = kind.field(c.field);
                if (!r && fd && fd->type == model::FieldType::Reference && c.value && !c.value->empty())
                {
                    const auto target = after.kindOf(*c.value);
                    if (!target || (!fd->referenceKind.empty() && *target != fd->referenceKind))
                        r = {RefusalCode::MissingReference,
                             c.field + ": no " + (fd->referenceKind.empty() ? std::string("record") : fd->referenceKind) +
                                 " with id " + *c.value};
                }
                if (!r && c.field == model::field::kServiceCode && c.value && !c.value->empty() &&
                    (c.kind == model::kind::kApplication || c.kind == model::kind::kBooking) &&
                    !serviceKnown(*c.value) &&
                    !std::any_of(batchValues.begin(), batchValues.end(), [&](const auto& v) {
                        return v.first.second == model::field::kCode && v.second == c.value &&
                               after.kindOf(v.first.first) == std::string(model::kind::kService);
                    }))
                    r = {RefusalCode::MissingReference, "service_code: no service with code \"" + *c.value + "\""};
                if (!r && (c.field == model::field::kKelurahan || c.field == model::field::kKecamatan) &&
                    kind.field(model::field::kKelurahan) && kind.field(model::field::kKecamatan))
                {
                    // A rule across two fields: the record as the batch leaves it.
                    const auto whole = [&](const char* f) {
                        if (const auto it = batchValues.find({c.id, f}); it != batchValues.end())
                            return it->second.value_or("");
                        return before.value(c.id, f).value_or("");
                    };
                    if (std::string why = model::kelurahanOutsideKecamatan(whole(model::field::kKelurahan),
                                                                           whole(model::field::kKecamatan));
                        !why.empty())
                        r = {RefusalCode::InvalidValue, "kelurahan: " + why};
                }
                if (!r)
                    if (std::string why = scopeRefusal(principal, c, held, before, after); !why.empty())
                        r = {RefusalCode::OutOfScope, std::move(why)};
                if (r)
                {
                    refusals[n] = std::move(r);
                    moved = true;
                }
            }
        }
    }

    std::int64_t seq = m_db.counter("seq");
    std::vector<PushResult> results;
    std::map<std::pair<std::string, std::string>, Current> cache;
    const std::string at = m_db.isoTime(nowMs);
    const auto audit = [&](const WireChange& c, const std::string& outcome, const std::string& reason,
                           RefusalCode code = RefusalCode::None) {
        m_audit.add(at, user, deviceId, address, c, outcome, reason, code);
    };

    // The fields of every record the batch writes, read at once: one
    // statement per few hundred records instead of one per change (on
    // PostgreSQL each statement costs several round trips). Read under the
    // lock every writer takes, so nothing changes them before the commit
    // but this push; a field of such a record that is not in the cache does
    // not exist.
    std::set<std::string> preloaded;
    {
        std::vector<std::string> ids;
        for (std::size_t n = 0; n < changes.size(); ++n)
            if (kinds[n] == Kind::New && !refusals[n] && preloaded.insert(changes[n].id).second)
                ids.push_back(changes[n].id);
        for (auto& r : m_fields.stampedRowsOf(ids))
        {
            Current& c = cache[{r.id, r.field}];
            c.exists = true;
            c.state.value = fromNullable(std::move(r.value));
            c.state.stamp = {r.hlc, r.device};
            c.user = std::move(r.user);
            c.seq = r.seq;
        }
    }
    const auto load = [&](const std::string& id, const std::string& field) -> Current& {
        auto key = std::make_pair(id, field);
        auto it = cache.find(key);
        if (it != cache.end())
            return it->second;
        if (preloaded.count(id))
            return cache[key];
        std::vector<Poco::Tuple<Poco::Nullable<std::string>, std::int64_t, std::string, std::string, std::int64_t>> rows;
        std::string i = id;
        std::string f = field;
        s << m_db.q("SELECT value, hlc, device, user_name, seq FROM fields WHERE record_id = ? AND field = ?"), use(i), use(f),
            into(rows), now;
        Current c;
        if (!rows.empty())
        {
            c.exists = true;
            c.state.value = fromNullable(rows.front().get<0>());
            c.state.stamp = {rows.front().get<1>(), rows.front().get<2>()};
            c.user = rows.front().get<3>();
            c.seq = rows.front().get<4>();
        }
        return cache[key] = c;
    };
    std::set<std::string> recorded; // records this push has made sure of in the records table
    // The field writes of this push, written a hundred to a statement
    // (FieldTable::writeFields) before anything reads the fields table
    // again: the cache above answers this push's own reads until then.
    std::vector<FieldTable::FieldWrite> written;
    const auto flush = [&] {
        m_fields.writeFields(std::move(written));
        written.clear();
    };
    // Applicants' e-mail caused by any write of this push, the server's own
    // included, queued before the commit.
    MailQueue mailQueue(m_db);
    MailEvents mail(m_db, m_fields, mailQueue, m_db.options().queueMail);
    const auto put = [&](const std::string& kind, const std::string& id, const std::string& field,
                         const std::optional<std::string>& value, const model::Stamp& stamp, const std::string& by) {
        if (mail.watches(kind, field))
            mail.written(kind, id, field, load(id, field).state.value, value, stamp);
        ++seq;
        Current& c = cache[{id, field}];
        if (!c.exists && recorded.insert(id).second)
        {
            // A field the server did not have: perhaps a record it did not have.
            std::string k = kind;
            std::string i = id;
            s << m_db.q("INSERT INTO records (record_id, kind) VALUES (?, ?) ON CONFLICT (record_id) DO NOTHING"), use(i),
                use(k), now;
        }
        written.push_back({id, field, kind, toNullable(value), stamp.hlc, stamp.device, by, seq});
        c.exists = true;
        c.state = {value, stamp};
        c.user = by;
        c.seq = seq;
    };

    // Whether a record has a conflict open for review, asked once per record
    // and push, and kept up to date by this push's own reviews.
    std::map<std::string, bool> reviewOpen;
    std::vector<std::size_t> refusedResults; // indexes into results, to fill in the server's value
    std::vector<std::string> tentative;      // bookings this batch made tentative, in order
    bool calendarChanged = false;            // a suspension or calendar day applied
    std::vector<std::string> clockMoved;     // applications whose SLA clock, service or place changed
    std::vector<std::string> verified;       // applications whose visits this batch may have finished, in order
    for (std::size_t n = 0; n < changes.size(); ++n)
    {
        const WireChange& c = changes[n];
        if (kinds[n] == Kind::Reused)
        {
            results.push_back({c.seq, PushOutcome::Reused,
                               "change id " + std::to_string(c.seq) + " was used before by another change of this "
                               "device; number it after " + std::to_string(pushedBefore) + " and send it again"});
            continue;
        }
        if (kinds[n] == Kind::Duplicate)
        {
            // A retry: a refusal is told again, so a laptop that lost the
            // first answer still puts the server's value back.
            const auto it = taken.find(c.seq);
            if (it != taken.end() && pushOutcomeOf(it->second.outcome) == PushOutcome::Refused)
            {
                PushResult r{c.seq, PushOutcome::Refused, it->second.reason};
                r.code = refusalCodeFromName(it->second.code);
                if (r.code == RefusalCode::None)
                    r.code = RefusalCode::OutOfScope; // refused before refusals carried a code: scope only
                refusedResults.push_back(results.size());
                results.push_back(std::move(r));
            }
            else
                results.push_back({c.seq, PushOutcome::Duplicate, ""});
            continue;
        }
        pushedSeq = c.seq;
        pushedHlc = std::max(pushedHlc, c.stamp.hlc);
        if (c.field == model::field::kProvisionalNo && c.value)
        {
            // "P-4433AA-000012": the device's own counter is the last part.
            const auto dash = c.value->rfind('-');
            std::int64_t number = 0;
            if (dash != std::string::npos && Poco::NumberParser::tryParse64(c.value->substr(dash + 1), number))
                provisionalSeq = std::max(provisionalSeq, number);
        }
        if (const Refusal& why = refusals[n])
        {
            // Refused: nothing changes, the device's change ids move past
            // it, and the audit keeps the value.
            audit(c, outcomeName(PushOutcome::Refused), why.reason, why.code);
            PushResult r{c.seq, PushOutcome::Refused, why.reason};
            r.code = why.code;
            refusedResults.push_back(results.size());
            results.push_back(std::move(r));
            continue;
        }
        m_clock.observe(c.stamp.hlc);
        const model::KindDef& kind = model::requireKind(c.kind);
        MergeContext context;
        context.recordDeleted = load(c.id, model::field::kDeleted).state.value.value_or("0") == "1";
        {
            const auto known = reviewOpen.find(c.id);
            if (known == reviewOpen.end())
            {
                std::vector<std::string> open;
                std::string i = c.id;
                s << m_db.q("SELECT conflict_id FROM reviews WHERE record_id = ? LIMIT 1"), use(i), into(open), now;
                context.reviewConflictOpen = reviewOpen[c.id] = !open.empty();
            }
            else
                context.reviewConflictOpen = known->second;
        }
        if (c.field == model::field::kDeleted)
        {
            flush();
            std::vector<std::string> others;
            std::string i = c.id;
            std::int64_t cur = clientCursor;
            s << m_db.q("SELECT field FROM fields WHERE record_id = ? AND seq > ? AND device <> ? LIMIT 1"), use(i), use(cur),
                use(dev), into(others), now;
            context.concurrentEditsOfRecord = !others.empty();
        }
        Current& cur = load(c.id, c.field);
        FieldChange change{c.kind, c.id, c.field, c.value, c.stamp, c.base};
        const MergeOutcome outcome = merge(kind, change, cur.state, context);

        if (outcome.result == MergeResult::Duplicate)
        {
            audit(c, "unchanged", "");
            results.push_back({c.seq, PushOutcome::Duplicate, ""});
            continue;
        }
        const FieldState before = cur.state;
        const std::string beforeUser = cur.user;
        if (outcome.applies())
            put(c.kind, c.id, c.field, c.value, c.stamp, user);
        else
        {
            // The device that lost still shows its own value: send the value
            // that stays out again (same stamp, new sequence) so that its
            // next pull puts it back. An edit of a deleted record gets the
            // deletion re-sent too.
            put(c.kind, c.id, c.field, before.value, before.stamp, beforeUser);
            if (context.recordDeleted)
            {
                Current& deleted = load(c.id, model::field::kDeleted);
                const FieldState d = deleted.state;
                put(c.kind, c.id, model::field::kDeleted, d.value, d.stamp, deleted.user);
            }
        }

        if (outcome.conflict())
        {
            // The value that stays and the one set aside, both with their
            // authors and times, in a conflict record that replicates.
            const bool incomingKept = outcome.result == MergeResult::IncomingWins;
            const FieldState kept = incomingKept ? FieldState{c.value, c.stamp} : before;
            const FieldState other = incomingKept ? before : FieldState{c.value, c.stamp};
            // A value never written (a record's first deletion) has no time.
            const auto timeOf = [&](const model::Stamp& st) -> std::optional<std::string> {
                if (st.isZero())
                    return std::nullopt;
                return m_db.isoTime(model::HybridLogicalClock::physicalMs(st.hlc));
            };
            model::Conflict conflict;
            conflict.id = model::newUuidV7();
            conflict.createdAt = m_db.isoTime(nowMs);
            conflict.recordKind = c.kind;
            conflict.recordId = c.id;
            conflict.field = c.field;
            conflict.keptValue = kept.value;
            conflict.otherValue = other.value;
            conflict.keptStamp = kept.stamp;
            conflict.otherStamp = other.stamp;
            conflict.keptUser = incomingKept ? user : beforeUser;
            conflict.otherUser = incomingKept ? beforeUser : user;
            conflict.keptAt = timeOf(kept.stamp);
            conflict.otherAt = timeOf(other.stamp);
            conflict.needsReview = outcome.needsReview;
            conflict.resolution = outcome.reason();
            const model::Stamp serverStamp{m_clock.now(), m_db.options().serverDevice};
            for (const auto& [name, value] : conflict.toFields())
                put(model::kind::kConflict, conflict.id, name, value, serverStamp, "server");
            if (outcome.needsReview)
            {
                std::string cid = conflict.id;
                std::string rid = c.id;
                s << m_db.q("INSERT INTO reviews (conflict_id, record_id) VALUES (?, ?)"), use(cid), use(rid), now;
                reviewOpen[c.id] = true;
            }
            results.push_back({c.seq, PushOutcome::Conflict, outcome.reason()});
            audit(c, outcomeName(PushOutcome::Conflict), outcome.reason());
        }
        else
        {
            results.push_back({c.seq, PushOutcome::Applied, ""});
            audit(c, outcomeName(PushOutcome::Applied), "");
        }

        if (c.kind == model::kind::kConflict && c.field == model::field::kStatus &&
            c.value.value_or("") == "resolved" && outcome.applies())
        {
            std::string cid = c.id;
            s << m_db.q("DELETE FROM reviews WHERE conflict_id = ?"), use(cid), now;
            reviewOpen.clear(); // which record it held is not known here
        }
        if (c.kind == model::kind::kApplication && c.field == model::field::kServiceCode &&
            outcome.applies() && !load(c.id, model::field::kRegNo).exists)
        {
            // The central office numbers an application when it first sees it.
            const model::Stamp serverStamp{m_clock.now(), m_db.options().serverDevice};
            put(c.kind, c.id, model::field::kRegNo, m_regNumbers.assign(c.value.value_or(""), nowMs), serverStamp, "server");
        }
        if (outcome.applies() && (c.kind == model::kind::kSuspension || c.kind == model::kind::kCalendarDay))
            calendarChanged = true;
        if (outcome.applies() && c.kind == model::kind::kApplication &&
            (c.field == model::field::kSlaStarted || c.field == model::field::kServiceCode ||
             c.field == model::field::kKecamatan) &&
            std::find(clockMoved.begin(), clockMoved.end(), c.id) == clockMoved.end())
            clockMoved.push_back(c.id);
        if (outcome.applies() &&
            ((c.kind == model::kind::kTask &&
              (c.field == model::field::kStatus || c.field == model::field::kResult ||
               c.field == model::field::kDeleted || c.field == model::field::kApplicationId)) ||
             (c.kind == model::kind::kApplication && c.field == model::field::kStatus)))
        {
            const std::string app = c.kind == model::kind::kApplication
                                        ? c.id
                                        : load(c.id, model::field::kApplicationId).state.value.value_or("");
            if (!app.empty() && std::find(verified.begin(), verified.end(), app) == verified.end())
                verified.push_back(app);
        }
        if (c.kind == model::kind::kBooking && c.field == model::field::kStatus && outcome.applies() &&
            c.value.value_or("") == "tentative" &&
            std::find(tentative.begin(), tentative.end(), c.id) == tentative.end())
            tentative.push_back(c.id);
        if (c.kind == model::kind::kBooking && c.field == model::field::kStatus && outcome.applies() &&
            escrowed.count(c.id))
        {
            const auto& day = escrowDay[c.id];
            m_bookings.useEscrow(c.id, deviceId, day[0], day[1], day[2]);
        }
    }

    // Counter slots are the central office's to give (sync/PROTOCOL.md,
    // "Bookings"). Each booking that arrived tentative, new or rescheduled,
    // is decided here, after its whole batch (its day and slot may come
    // after its status), in the order the batch made them. Laptops A and B
    // both book the last slot of 14 December offline: A syncs first and
    // gets it; B's push, which waits for A's under the lock (and on
    // PostgreSQL for the advisory lock of every server process), counts A's
    // confirmation and is overbooked. The status is a server value like
    // reg_no, stamped by the server, so every replica takes it at its next
    // pull and all agree.
    // Due dates follow the office calendar (DueDates.h): every application
    // when the calendar changed, else those whose clock, service or place
    // this batch changed; the server's date is the one every replica keeps.
    flush();
    std::optional<model::OfficeCalendar> calendar;
    if (calendarChanged || !clockMoved.empty() || !tentative.empty())
        calendar.emplace(m_dueDates.calendar());
    if (calendarChanged || !clockMoved.empty())
        for (const auto& [id, due] : m_dueDates.stale(*calendar, calendarChanged ? nullptr : &clockMoved))
        {
            load(id, model::field::kDueDate);
            put(model::kind::kApplication, id, model::field::kDueDate, due,
                {m_clock.now(), m_db.options().serverDevice}, "server");
        }
    flush();

    const std::string nowLocal = m_db.isoTime(nowMs).substr(0, 16);
    for (const std::string& id : tentative)
    {
        if (load(id, model::field::kStatus).state.value.value_or("") != "tentative" ||
            load(id, model::field::kDeleted).state.value.value_or("0") == "1")
            continue;
        flush();
        const BookingFacts facts = m_bookings.facts(id);
        const model::Suspension* closedBy =
            calendar->suspension(facts.date, m_dueDates.service(facts.serviceCode), model::kStepCounterIntake,
                                 facts.location, "");
        const BookingDecision decision = m_bookings.decide(facts, nowLocal, closedBy);
        const model::Stamp serverStamp{m_clock.now(), m_db.options().serverDevice};
        put(model::kind::kBooking, id, model::field::kStatus, decision.status, serverStamp, "server");
        if (!decision.reason.empty())
        {
            // Why, for the clerk who reschedules: a note on the booking,
            // which reaches whoever reads the booking.
            const std::string note = model::newUuidV7();
            const model::Stamp noteStamp{m_clock.now(), m_db.options().serverDevice};
            put(model::kind::kNote, note, model::field::kCreatedAt, m_db.isoTime(nowMs), noteStamp, "server");
            put(model::kind::kNote, note, model::field::kParentId, id, noteStamp, "server");
            put(model::kind::kNote, note, model::field::kAuthor, std::string("server"), noteStamp, "server");
            put(model::kind::kNote, note, model::field::kBody, decision.reason, noteStamp, "server");
        }
    }
    // An application whose site visits are all done moves on by the one rule
    // of model/VerificationRound.h, judged here after the whole batch, where
    // every task of it is known: verifiers Vera and Vino each finish their
    // visit of one building offline; neither laptop sees the other's task.
    // Vera syncs first: Vino's task is still open, nothing moves. Vino's
    // push finishes the round and the server moves the application, with
    // its own stamp, so every replica takes the same status at its next
    // pull and no two laptops write it concurrently.
    if (!verified.empty())
    {
        VerificationDesk desk(m_db, m_fields);
        for (const std::string& id : verified)
        {
            flush();
            const auto next = desk.decide(id);
            if (!next)
                continue;
            load(id, model::field::kStatus);
            const model::Stamp serverStamp{m_clock.now(), m_db.options().serverDevice};
            put(model::kind::kApplication, id, model::field::kStatus, *next, serverStamp, "server");
            // As a person's move back to document_check does (model/WriteRules.h):
            // a manager's checklist override holds for one pass only.
            if (*next == "document_check" && !load(id, model::field::kChecklistOverride).state.value.value_or("").empty())
                put(model::kind::kApplication, id, model::field::kChecklistOverride, std::string(), serverStamp, "server");
        }
    }
    // A confirmed booking whose slot passed without a check-in is a no_show,
    // decided here too so that every replica agrees; the grace lets a clerk
    // who checked the applicant in offline sync first.
    const std::string threshold = m_db.isoTime(nowMs - m_db.options().noShowGraceMinutes * 60000LL).substr(0, 16);
    flush();
    for (const std::string& id : m_bookings.missed(threshold))
    {
        load(id, model::field::kStatus);
        const model::Stamp serverStamp{m_clock.now(), m_db.options().serverDevice};
        put(model::kind::kBooking, id, model::field::kStatus, std::string("no_show"), serverStamp, "server");
    }

    // A refused change's field as the server holds it after the batch, for
    // the laptop to show again; nothing of a record the device may not read.
    flush();
    if (!refusedResults.empty())
    {
        StoredLookup afterBatch(m_db, m_fields);
        for (const std::size_t i : refusedResults)
        {
            PushResult& r = results[i];
            const WireChange& c = *std::find_if(changes.begin(), changes.end(),
                                                [&](const WireChange& w) { return w.seq == r.seq; });
            const auto kind = afterBatch.lookup.kindOf(c.id);
            r.held = kind && *kind == c.kind && readable(principal, c.kind, c.id, afterBatch.lookup);
            if (r.held)
            {
                const Current& held = load(c.id, c.field);
                r.current = held.state;
                r.currentUser = held.user;
            }
            else if (const auto seeded = model::referenceServices().find(c.id);
                     !kind && c.kind == model::kind::kService && seeded != model::referenceServices().end())
            {
                // A service of the shipped catalog nobody has edited: every
                // replica holds its seed (every role reads services).
                const auto value = seeded->second.find(c.field);
                r.held = true;
                r.current = {value == seeded->second.end() ? std::nullopt : std::optional<std::string>(value->second),
                             model::Stamp{}};
            }
        }
    }
    flush(); // nothing since the one above; the mail reads the fields as this push leaves them
    mail.enqueue(at, nowMs);
    m_db.setCounter("seq", seq);
    m_db.setCounter("hlc", m_clock.last());
    s << m_db.q("UPDATE devices SET pushed_seq = ?, pushed_hlc = ?, provisional_seq = ? WHERE id = ?"), use(pushedSeq),
        use(pushedHlc), use(provisionalSeq), use(dev), now;
    m_audit.flush();
    tx.commit();
    return results;
}

std::size_t PushApplier::sweepNoShows()
{
    auto& s = m_db.session();
    Poco::Data::Transaction tx(s);
    if (m_db.postgres())
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    const std::int64_t nowMs = m_db.options().clockMs();
    const std::string threshold = m_db.isoTime(nowMs - m_db.options().noShowGraceMinutes * 60000LL).substr(0, 16);
    const auto missed = m_bookings.missed(threshold);
    std::int64_t seq = m_db.counter("seq");
    for (const std::string& id : missed)
        m_fields.writeField(model::kind::kBooking, id, model::field::kStatus, std::string("no_show"),
                            {m_clock.now(), m_db.options().serverDevice}, "server", ++seq);
    m_db.setCounter("seq", seq);
    m_db.setCounter("hlc", m_clock.last());
    tx.commit();
    return missed.size();
}

std::pair<std::size_t, std::size_t> PushApplier::writeCatalog(const std::vector<CatalogRecord>& records)
{
    auto& s = m_db.session();
    Poco::Data::Transaction tx(s);
    if (m_db.postgres())
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    std::int64_t seq = m_db.counter("seq");
    const auto write = [&](const std::string& kind, const std::string& id, const std::string& field,
                           const std::optional<std::string>& value) {
        std::string k = kind, i = id;
        s << m_db.q("INSERT INTO records (record_id, kind) VALUES (?, ?) ON CONFLICT (record_id) DO NOTHING"), use(i),
            use(k), now;
        m_fields.writeField(kind, id, field, value, {m_clock.now(), m_db.options().serverDevice}, "server", ++seq);
    };
    std::size_t changed = 0;
    for (const auto& r : records)
        if (r.partial && !m_fields.value(r.id, model::field::kCode) &&
            model::referenceServices().find(r.id) == model::referenceServices().end())
            throw Error(ErrorCode::InvalidData, "code: no service with code \"" + r.fields.at(model::field::kCode) +
                                                    "\" (import its row with sla_days first)");
    for (const auto& r : records)
    {
        const auto seeded = model::referenceServices().find(r.id);
        bool any = false;
        for (const auto& [field, value] : r.fields)
        {
            if (r.partial && field == model::field::kCode)
                continue;
            std::optional<std::string> held = m_fields.value(r.id, field);
            if (!held && m_fields.stamp(r.id, field).isZero() && seeded != model::referenceServices().end())
                if (const auto v = seeded->second.find(field); v != seeded->second.end())
                    held = v->second;
            const std::optional<std::string> wanted = value.empty() ? std::nullopt : std::optional<std::string>(value);
            if (held.value_or("") == wanted.value_or(""))
                continue;
            if (field == model::field::kCode && held)
                continue; // a service's code is fixed once made
            write(r.kind, r.id, field, wanted);
            any = true;
        }
        if (m_fields.value(r.id, model::field::kDeleted).value_or("0") == "1")
        {
            write(r.kind, r.id, model::field::kDeleted, std::string("0")); // imported again: back in force
            any = true;
        }
        if (any && m_fields.stamp(r.id, model::field::kCreatedAt).isZero() && seeded == model::referenceServices().end())
            write(r.kind, r.id, model::field::kCreatedAt, m_db.isoTime(m_db.options().clockMs()));
        changed += any ? 1 : 0;
    }
    const auto stale = m_dueDates.stale(m_dueDates.calendar());
    for (const auto& [id, due] : stale)
        write(model::kind::kApplication, id, model::field::kDueDate, due);
    m_db.setCounter("seq", seq);
    m_db.setCounter("hlc", m_clock.last());
    tx.commit();
    return {changed, stale.size()};
}

} // namespace berkas::sync
