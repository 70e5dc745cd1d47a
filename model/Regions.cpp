#include "model/Regions.h"

#include "model/Assets.h"
#include "model/Error.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace berkas::model {

namespace {

std::string readWholeFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "cannot read the region list " + path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        throw Error(ErrorCode::Storage, "error while reading the region list " + path);
    return buffer.str();
}

/// Splits one CSV record starting at @p pos (RFC 4180: quoted fields may hold
/// commas, doubled quotes and newlines) into @p fields and moves @p pos past
/// its line end. Returns false on an unterminated quote.
bool nextRecord(const std::string& text, std::size_t& pos, std::vector<std::string>& fields)
{
    fields.clear();
    std::string field;
    bool quoted = false;
    while (pos < text.size()) {
        const char c = text[pos++];
        if (quoted) {
            if (c != '"') {
                field += c;
            } else if (pos < text.size() && text[pos] == '"') {
                field += '"';
                ++pos;
            } else {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            break;
        } else if (c != '\r') {
            field += c;
        }
    }
    fields.push_back(std::move(field));
    return !quoted;
}

/// The shape of a code at @p level (0 = province "PP" .. 3 = village "PP.RR.DD.VVVV").
bool hasCodeShape(std::string_view code, int level)
{
    static const std::size_t kLengths[] = {2, 5, 8, 13};
    if (code.size() != kLengths[level])
        return false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const bool dotHere = i == 2 || i == 5 || i == 8;
        if (dotHere ? code[i] != '.' : (code[i] < '0' || code[i] > '9'))
            return false;
    }
    return true;
}

std::vector<Regions::Entry> readLevel(const std::string& dir, const char* fileName, int level)
{
    const std::string path = dir + "/" + fileName;
    const std::string text = readWholeFile(path);
    std::vector<Regions::Entry> entries;
    entries.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));

    std::size_t pos = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        pos = 3;
    std::vector<std::string> fields;
    int lineNo = 0;
    while (pos < text.size()) {
        ++lineNo;
        if (!nextRecord(text, pos, fields)) {
            throw Error(ErrorCode::InvalidData,
                        path + ":" + std::to_string(lineNo) + ": unterminated quote");
        }
        if (lineNo == 1) {
            if (fields.empty() || fields[0] != "code") {
                throw Error(ErrorCode::InvalidData,
                            path + ":1: expected a header starting with \"code\"");
            }
            continue;
        }
        if (fields.size() == 1 && fields[0].empty())
            continue;
        if (fields.size() < 2 || !hasCodeShape(fields[0], level)) {
            throw Error(ErrorCode::InvalidData,
                        path + ":" + std::to_string(lineNo) + ": malformed region row");
        }
        entries.emplace_back(std::move(fields[0]), std::move(fields.back()));
    }
    if (!std::is_sorted(entries.begin(), entries.end()))
        std::sort(entries.begin(), entries.end());
    return entries;
}

const Regions::Entry* findCode(const std::vector<Regions::Entry>& entries, std::string_view code)
{
    const auto it = std::lower_bound(
        entries.begin(), entries.end(), code,
        [](const Regions::Entry& entry, std::string_view key) { return entry.first < key; });
    return it != entries.end() && it->first == code ? &*it : nullptr;
}

/// Children share their parent's code followed by a dot, and codes at one
/// level have one length, so the children form one contiguous sorted run.
std::vector<Regions::Entry> childrenOf(const std::vector<Regions::Entry>& entries,
                                       std::string_view parentCode)
{
    if (parentCode.empty())
        return {};
    const std::string prefix = std::string(parentCode) + ".";
    auto it = std::lower_bound(
        entries.begin(), entries.end(), prefix,
        [](const Regions::Entry& entry, const std::string& key) { return entry.first < key; });
    std::vector<Regions::Entry> result;
    for (; it != entries.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        result.push_back(*it);
    return result;
}

} // namespace

const Regions& Regions::standard()
{
    static const Regions regions = [] {
        return load(assetsDir() + "/reference/regions");
    }();
    return regions;
}

Regions Regions::load(const std::string& dir)
{
    Regions regions;
    regions.m_provinces = readLevel(dir, "provinces.csv", 0);
    regions.m_regencies = readLevel(dir, "regencies.csv", 1);
    regions.m_districts = readLevel(dir, "districts.csv", 2);
    regions.m_villages = readLevel(dir, "villages.csv", 3);
    return regions;
}

const std::vector<Regions::Entry>* Regions::levelOf(std::string_view code) const
{
    switch (code.size()) {
    case 2:
        return &m_provinces;
    case 5:
        return &m_regencies;
    case 8:
        return &m_districts;
    case 13:
        return &m_villages;
    default:
        return nullptr;
    }
}

bool Regions::hasProvince(std::string_view code) const
{
    return findCode(m_provinces, code) != nullptr;
}

bool Regions::hasRegency(std::string_view code) const
{
    return findCode(m_regencies, code) != nullptr;
}

bool Regions::hasDistrict(std::string_view code) const
{
    return findCode(m_districts, code) != nullptr;
}

bool Regions::hasVillage(std::string_view code) const
{
    return findCode(m_villages, code) != nullptr;
}

std::string Regions::name(std::string_view code) const
{
    const auto* level = levelOf(code);
    const Entry* entry = level != nullptr ? findCode(*level, code) : nullptr;
    return entry != nullptr ? entry->second : std::string();
}

std::vector<Regions::Entry> Regions::regenciesOf(std::string_view provinceCode) const
{
    return provinceCode.size() == 2 ? childrenOf(m_regencies, provinceCode)
                                    : std::vector<Entry>();
}

std::vector<Regions::Entry> Regions::districtsOf(std::string_view regencyCode) const
{
    return regencyCode.size() == 5 ? childrenOf(m_districts, regencyCode) : std::vector<Entry>();
}

std::vector<Regions::Entry> Regions::villagesOf(std::string_view districtCode) const
{
    return districtCode.size() == 8 ? childrenOf(m_villages, districtCode)
                                    : std::vector<Entry>();
}

} // namespace berkas::model
