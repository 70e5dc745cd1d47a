#include "sync/server/RegNumbers.h"

#include "sync/server/ServerDatabase.h"

#include <Poco/NumberParser.h>

#include <regex>

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

void RegNumbers::movePast(const std::string& regNo)
{
    // The template as a pattern: {year} four digits, {seq...} digits,
    // {service} anything, the rest as written.
    std::string pattern;
    int yearGroup = 0;
    int seqGroup = 0;
    int groups = 0;
    const std::string& t = m_db.options().regNoTemplate;
    for (std::size_t i = 0; i < t.size();)
    {
        const auto close = t[i] == '{' ? t.find('}', i) : std::string::npos;
        if (close == std::string::npos)
        {
            if (std::string("\\^$.|?*+()[]{}").find(t[i]) != std::string::npos)
                pattern += '\\';
            pattern += t[i++];
            continue;
        }
        const std::string token = t.substr(i + 1, close - i - 1);
        if (token == "year")
            pattern += "([0-9]{4})", yearGroup = ++groups;
        else if (token.rfind("seq", 0) == 0)
            pattern += "([0-9]+)", seqGroup = ++groups;
        else
            pattern += "(.*)", ++groups;
        i = close + 1;
    }
    std::smatch m;
    if (!yearGroup || !seqGroup || !std::regex_match(regNo, m, std::regex(pattern)))
        return;
    std::int64_t number = 0;
    if (!Poco::NumberParser::tryParse64(m[seqGroup].str(), number))
        return;
    const std::string name = "reg_no:" + m[yearGroup].str();
    if (m_db.counter(name) < number)
        m_db.setCounter(name, number);
}

} // namespace berkas::sync
