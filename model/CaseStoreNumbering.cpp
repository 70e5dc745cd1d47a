#include "model/CaseStore.h"

#include "model/DeviceClock.h"

#include <Poco/Random.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

// CaseStore's numbering of this device: provisional numbers, booking codes,
// and moving its change ids, clock and provisional counter past what the
// central office already took from it (a laptop restored from a copy).

namespace berkas::model {

std::string CaseStore::nextProvisionalPrefix() const
{
    std::string shortId = m_deviceId.size() > 6 ? m_deviceId.substr(m_deviceId.size() - 6) : m_deviceId;
    std::transform(shortId.begin(), shortId.end(), shortId.begin(), [](unsigned char c) { return std::toupper(c); });
    return "P-" + shortId + "-";
}

std::string CaseStore::nextProvisionalNo()
{
    const std::int64_t next = std::atoll(setting("provisional_counter", "0").c_str()) + 1;
    setSetting("provisional_counter", std::to_string(next));
    std::string number = std::to_string(next);
    if (number.size() < 6)
        number.insert(0, 6 - number.size(), '0');
    return nextProvisionalPrefix() + number;
}

std::string CaseStore::newBookingCode()
{
    // No 0/O or 1/I: codes are read out over the phone.
    static const char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    static Poco::Random random = [] {
        Poco::Random r;
        r.seed();
        return r;
    }();
    for (;;)
    {
        std::string code;
        for (int i = 0; i < 6; ++i)
            code += kAlphabet[random.next(sizeof(kAlphabet) - 1)];
        Statement& s = cached("SELECT 1 FROM booking WHERE code = ?");
        s.bind(1, code);
        const bool taken = s.step();
        s.reset();
        if (!taken)
            return code;
    }
}

void CaseStore::moveCountersPast(std::int64_t changeSeq, std::int64_t hlc, std::int64_t provisional)
{
    auto tx = beginWrite();
    // AUTOINCREMENT hands out one more than the larger of this and the
    // largest id present.
    Statement seq(*m_db, "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', ? WHERE NOT EXISTS "
                         "(SELECT 1 FROM sqlite_sequence WHERE name = 'outbox')");
    seq.bind(1, changeSeq).run();
    Statement raise(*m_db, "UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox' AND seq < ?");
    raise.bind(1, changeSeq).bind(2, changeSeq).run();
    if (hlc > m_clock->last())
        m_clock->observe(hlc);
    if (provisional > std::atoll(setting("provisional_counter", "0").c_str()))
        setSetting("provisional_counter", std::to_string(provisional));
    persistClock();
    if (tx)
        tx->commit();
}

std::int64_t CaseStore::renumberUnsent(std::int64_t fromSeq, std::int64_t afterSeq, std::int64_t provisional)
{
    auto tx = beginWrite();
    std::int64_t largest = afterSeq;
    {
        Statement max(*m_db, "SELECT COALESCE(MAX(seq), 0) FROM outbox");
        if (max.step())
            largest = std::max(largest, max.integer(0));
    }
    std::vector<std::int64_t> seqs;
    {
        Statement list(*m_db, "SELECT seq FROM outbox WHERE seq >= ? ORDER BY seq");
        list.bind(1, fromSeq);
        while (list.step())
            seqs.push_back(list.integer(0));
    }
    // Every new id is above every old one, so renumbering in order never
    // meets an id still in use.
    Statement move(*m_db, "UPDATE outbox SET seq = ? WHERE seq = ?");
    std::int64_t next = largest;
    for (const std::int64_t old : seqs)
        move.bind(1, ++next).bind(2, old).run();
    moveCountersPast(next, 0, provisional);

    // A new application made after the restore may carry a provisional
    // number the server already saw from this device before it: it gets the
    // next free one, on the record and in the change not sent yet.
    const std::string prefix = nextProvisionalPrefix();
    std::vector<std::pair<std::int64_t, std::string>> unsent;
    {
        Statement numbers(*m_db, "SELECT seq, record_id, value FROM outbox WHERE seq > ? AND kind = 'application' "
                                 "AND field = 'provisional_no' ORDER BY seq");
        numbers.bind(1, largest);
        while (numbers.step())
        {
            const std::string value = numbers.text(2);
            const std::int64_t number = std::atoll(value.substr(value.rfind('-') + 1).c_str());
            if (value.rfind(prefix, 0) == 0 && number <= provisional)
                unsent.emplace_back(numbers.integer(0), numbers.text(1));
        }
    }
    for (const auto& [entry, recordId] : unsent)
    {
        const std::string number = nextProvisionalNo();
        Statement row(*m_db, "UPDATE application SET provisional_no = ? WHERE id = ?");
        row.bind(1, number).bind(2, recordId).run();
        Statement change(*m_db, "UPDATE outbox SET value = ? WHERE seq = ?");
        change.bind(1, number).bind(2, entry).run();
        appendAudit(kind::kApplication, recordId, m_clock->now(), "sync",
                    {{field::kProvisionalNo, "", number + " (numbered again: the laptop was restored from a copy)"}});
    }
    if (tx)
    {
        persistClock();
        tx->commit();
    }
    return static_cast<std::int64_t>(seqs.size());
}

} // namespace berkas::model
