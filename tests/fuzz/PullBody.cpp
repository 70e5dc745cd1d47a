#include "tests/fuzz/FuzzTargets.h"

#include "model/Error.h"
#include "model/Hlc.h"
#include "sync/Protocol.h"

#include <algorithm>
#include <tuple>
#include <vector>

namespace berkas::fuzz {

namespace {

/// A change as every form carries it. The compact form drops the seq of the
/// changes it writes as pairs, and writes those before the record's others,
/// so for it the changes are compared without seq and in sorted order.
using Row = std::tuple<std::int64_t, std::string, std::string, std::string, std::optional<std::string>,
                       std::int64_t, std::string, std::string>;

std::vector<Row> rows(const sync::PullBatch& b, bool withSeq, bool sorted)
{
    std::vector<Row> out;
    for (const auto& c : b.changes)
        out.emplace_back(withSeq ? c.seq : 0, c.kind, c.id, c.field, c.value, c.stamp.hlc, c.stamp.device, c.user);
    if (sorted)
        std::sort(out.begin(), out.end());
    return out;
}

const char* formName(sync::PullForm form)
{
    switch (form)
    {
    case sync::PullForm::Full: return "full";
    case sync::PullForm::SharedStamps: return "shared stamps";
    case sync::PullForm::Compact: return "compact";
    }
    return "?";
}

} // namespace

FuzzOutcome fuzzPullBody(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::int64_t serverTime = 0;
    sync::PullBatch first;
    try
    {
        first = sync::decodePullText(text, &serverTime);
    }
    catch (const Error&)
    {
        return FuzzOutcome::Rejected;
    }

    for (const auto form : {sync::PullForm::Full, sync::PullForm::SharedStamps, sync::PullForm::Compact})
    {
        const std::string where = std::string("pull round trip (") + formName(form) + "): ";
        const std::string again =
            sync::encodePullText(first.changes, first.cursor, first.more, serverTime, first.gone, first.ack, form);
        std::int64_t serverTimeAgain = 0;
        sync::PullBatch second;
        try
        {
            second = sync::decodePullText(again, &serverTimeAgain);
        }
        catch (const Error& e)
        {
            throw PropertyViolation(where + "the re-encoded answer does not decode: " + e.what());
        }
        const bool compact = form == sync::PullForm::Compact;
        expect(rows(first, !compact, compact) == rows(second, !compact, compact), where + "changes differ");
        expect(first.cursor == second.cursor, where + "cursor differs");
        expect(first.more == second.more, where + "more differs");
        expect(first.gone == second.gone, where + "gone differs");
        expect(first.ack == second.ack, where + "ack differs");
        expect(serverTime == serverTimeAgain, where + "server_time differs");
    }
    return FuzzOutcome::Accepted;
}

} // namespace berkas::fuzz
