#include "tests/fuzz/FuzzTargets.h"

#include "model/Hlc.h"
#include "model/Schema.h"
#include "model/Workflow.h"
#include "sync/Merge.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace berkas::fuzz {

namespace {

/// Reads the input a byte at a time; zeros once it is used up.
class Bytes
{
public:
    Bytes(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
    bool empty() const { return m_pos >= m_size; }
    std::uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    template <typename T> const T& pick(const std::vector<T>& from) { return from[byte() % from.size()]; }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

/// Stamps from a small set, so that inputs often meet equal and adjacent ones.
sync::Stamp stampOf(Bytes& in)
{
    static const std::vector<std::int64_t> hlcs = {0, 1, 2, 3, std::int64_t(1) << 16, (std::int64_t(1) << 16) + 1,
                                                   std::numeric_limits<std::int64_t>::max()};
    static const std::vector<std::string> devices = {"", "a", "b", "server"};
    const std::uint8_t b = in.byte();
    const std::int64_t hlc = b & 0x80 ? static_cast<std::int64_t>(b & 0x7f) : hlcs[b % hlcs.size()];
    return {hlc, in.pick(devices)};
}

std::optional<std::string> valueOf(Bytes& in, const model::FieldDef* fd)
{
    const std::uint8_t b = in.byte();
    switch (b % 6)
    {
    case 0: return std::nullopt;
    case 1: return std::string();
    case 2: return std::string(b & 8 ? "1" : "0");
    case 3:
    case 4:
        if (fd && !fd->allowed.empty())
            return fd->allowed[(b >> 3) % fd->allowed.size()];
        [[fallthrough]];
    default:
    {
        std::string s;
        for (int n = b >> 6; n > 0; --n)
            s += static_cast<char>('a' + in.byte() % 3);
        return s;
    }
    }
}

const char* resultName(sync::MergeResult r)
{
    switch (r)
    {
    case sync::MergeResult::Applied: return "Applied";
    case sync::MergeResult::Duplicate: return "Duplicate";
    case sync::MergeResult::IncomingWins: return "IncomingWins";
    case sync::MergeResult::CurrentWins: return "CurrentWins";
    }
    return "?";
}

bool sameOutcome(const sync::MergeOutcome& a, const sync::MergeOutcome& b)
{
    return a.result == b.result && a.needsReview == b.needsReview && a.why == b.why && a.detail == b.detail;
}

/// The field state a replica holds after @p outcome of @p change.
sync::FieldState after(const sync::FieldChange& change, const sync::FieldState& current,
                       const sync::MergeOutcome& outcome)
{
    return outcome.applies() ? sync::FieldState{change.value, change.stamp} : current;
}

} // namespace

FuzzOutcome fuzzMerge(const std::uint8_t* data, std::size_t size)
{
    Bytes in(data, size);
    const auto& kinds = model::kinds();
    const model::KindDef& kind = in.pick(kinds);
    std::vector<std::string> fieldNames = {model::field::kDeleted, model::field::kCreatedAt, model::field::kStatus,
                                           "no_such_field"};
    for (const auto& f : kind.fields)
        fieldNames.push_back(f.name);
    const auto& workflows = model::workflowKinds();
    const bool workflowKind = std::find(workflows.begin(), workflows.end(), kind.name) != workflows.end();

    // One field of one record, changed a few times in a row.
    const std::string& fieldName = in.pick(fieldNames);
    const model::FieldDef* fd = kind.field(fieldName);
    const bool isDelete = fieldName == model::field::kDeleted;
    const bool isStatus = fieldName == model::field::kStatus && workflowKind;
    const model::MergePolicy policy =
        isDelete ? model::MergePolicy::Review : fd ? fd->policy : model::MergePolicy::Stamp;

    sync::FieldState current{valueOf(in, fd), stampOf(in)};
    for (int step = 0; step < 8 && !in.empty(); ++step)
    {
        const std::uint8_t flags = in.byte();
        sync::MergeContext context;
        context.recordDeleted = flags & 1;
        context.reviewConflictOpen = flags & 2;
        context.concurrentEditsOfRecord = flags & 4;
        sync::FieldChange change{kind.name, "0193b0a4-0000-7000-8000-000000000001", fieldName, valueOf(in, fd),
                                 stampOf(in), {}};
        change.base = (flags & 0x18) == 0 ? current.stamp : (flags & 0x18) == 0x08 ? sync::Stamp{} : stampOf(in);

        const sync::MergeOutcome outcome = sync::merge(kind, change, current, context);
        const std::string where = "merge of " + kind.name + "." + fieldName + " (" + resultName(outcome.result) +
                                  ", step " + std::to_string(step) + "): ";
        const bool sameStamp = change.stamp == current.stamp;
        const bool sameValue = change.value.value_or("") == current.value.value_or("");
        const bool concurrent = change.base != current.stamp && !current.stamp.isZero();

        // The outcome's own accessors agree with its result.
        expect(outcome.applies() ==
                   (outcome.result == sync::MergeResult::Applied || outcome.result == sync::MergeResult::IncomingWins),
               where + "applies() disagrees with the result");
        expect(outcome.conflict() == (outcome.result == sync::MergeResult::IncomingWins ||
                                      outcome.result == sync::MergeResult::CurrentWins),
               where + "conflict() disagrees with the result");
        expect(!outcome.needsReview || outcome.conflict(), where + "review needed without a conflict");
        expect(outcome.conflict() == !outcome.reason().empty(), where + "a conflict without a reason, or the reverse");
        // Pure: the same arguments, the same decision.
        expect(sameOutcome(outcome, sync::merge(kind, change, current, context)), where + "not deterministic");

        // "The replica already holds exactly this change": the same stamp, or
        // (two concurrent edits to the same value) the value with a higher stamp.
        if (sameStamp)
            expect(outcome.result == sync::MergeResult::Duplicate, where + "the same stamp is not a duplicate");
        if (outcome.result == sync::MergeResult::Duplicate)
            expect(sameStamp || (concurrent && sameValue && change.stamp < current.stamp),
                   where + "a duplicate that the replica does not hold");

        // An edit of a deleted record never applies and always waits for review.
        if (!sameStamp && context.recordDeleted && !isDelete)
            expect(outcome.result == sync::MergeResult::CurrentWins && outcome.needsReview,
                   where + "an edit of a deleted record did not wait for review");

        // A change made on top of the current value simply applies, unless it
        // is a status move or a deletion (the rules that span fields).
        if (!sameStamp && !concurrent && !context.recordDeleted && !isStatus && !isDelete)
            expect(outcome.result == sync::MergeResult::Applied, where + "a change on the current value did not apply");

        if (!sameStamp && concurrent && !context.recordDeleted && !sameValue)
        {
            // Concurrent and different: review keeps the current value; stamp
            // lets the higher stamp win, and the loser is kept in a conflict.
            if (policy == model::MergePolicy::Review)
                expect(outcome.result == sync::MergeResult::CurrentWins && outcome.needsReview,
                       where + "a concurrent edit of a legally significant field replaced it");
            else
                expect(outcome.result ==
                           (change.stamp > current.stamp ? sync::MergeResult::IncomingWins : sync::MergeResult::CurrentWins),
                       where + "a concurrent edit was not decided by the higher stamp");

            // On a laptop with this change unpushed, pulling the current value
            // decides as the server will when the change arrives there.
            if (sync::pulledValueWins(kind, change, current, context) == outcome.applies())
                throw PropertyViolation(where + "pulledValueWins disagrees with the server's merge");
        }

        if (!sameStamp && concurrent && !context.recordDeleted && policy == model::MergePolicy::Stamp &&
            !change.stamp.isZero())
        {
            // The same two writes met in the other order on another replica
            // end with the same value and stamp there.
            const sync::FieldChange mirror{kind.name, change.recordId, fieldName, current.value, current.stamp, {}};
            const sync::FieldState there{change.value, change.stamp};
            const sync::FieldState here = after(change, current, outcome);
            const sync::FieldState other = after(mirror, there, sync::merge(kind, mirror, there, context));
            expect(here.value.value_or("") == other.value.value_or("") && here.stamp == other.stamp,
                   where + "two replicas do not converge");
        }

        current = after(change, current, outcome);
    }
    return FuzzOutcome::Accepted;
}

} // namespace berkas::fuzz
