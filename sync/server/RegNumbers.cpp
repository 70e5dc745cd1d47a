#include "sync/server/RegNumbers.h"

#include "sync/server/ServerDatabase.h"

namespace berkas::sync {

RegNumbers::RegNumbers(ServerDatabase& db) : m_db(db) {}

std::string RegNumbers::assign(const std::string& serviceCode, std::int64_t physicalMs)
{
    // Gapless per year: the counter moves in the same transaction as the
    // record, so a rolled-back push never burns a number.
    const std::string year = m_db.isoTime(physicalMs).substr(0, 4);
    const std::int64_t next = m_db.counter("reg_no:" + year) + 1;
    m_db.setCounter("reg_no:" + year, next);
    std::string out;
    const std::string& t = m_db.options().regNoTemplate;
    for (std::size_t i = 0; i < t.size();)
    {
        if (t[i] != '{')
        {
            out += t[i++];
            continue;
        }
        const auto close = t.find('}', i);
        if (close == std::string::npos)
        {
            out += t.substr(i);
            break;
        }
        const std::string token = t.substr(i + 1, close - i - 1);
        if (token == "year")
            out += year;
        else if (token == "service")
            out += serviceCode;
        else if (token.rfind("seq", 0) == 0)
        {
            std::size_t width = 0;
            if (token.size() > 4 && token[3] == ':')
                width = static_cast<std::size_t>(std::stoi(token.substr(4)));
            std::string n = std::to_string(next);
            if (n.size() < width)
                n.insert(0, width - n.size(), '0');
            out += n;
        }
        else
            out += "{" + token + "}";
        i = close + 1;
    }
    return out;
}

} // namespace berkas::sync
