#include "model/Assets.h"

#include "model/Csv.h"
#include "model/Schema.h"
#include "model/Uuid.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace berkas::model {

std::string installedAssetsDir(const std::string& executablePath)
{
    namespace fs = std::filesystem;
    const fs::path exe(executablePath);
    const fs::path bin = exe.parent_path();
    if (exe.filename().empty() || bin.filename() != "bin")
        return {};
    const fs::path share = bin.parent_path() / "share" / exe.filename();
    std::error_code ec;
    if (!fs::is_directory(share / "reference", ec))
        return {};
    return share.string();
}

std::string assetsDir()
{
    if (const char* env = std::getenv("BERKAS_ASSETS"); env && *env)
        return env;
    static const std::string installed = [] {
        std::error_code ec;
        const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        return ec ? std::string() : installedAssetsDir(exe.string());
    }();
    return installed.empty() ? std::string(BERKAS_ASSETS_DIR) : installed;
}

const std::map<std::string, std::map<std::string, std::string>>& referenceServices()
{
    static const std::map<std::string, std::map<std::string, std::string>> services = [] {
        std::map<std::string, std::map<std::string, std::string>> out;
        try
        {
            const std::string dir = assetsDir() + "/reference";
            // Real suspensions of face-to-face service, applied to the catalog
            // of the region they were issued for (Kota Bekasi's instruction
            // of May 2020), to every service not exempt from them.
            std::map<std::string, std::string> suspension;
            for (const auto& row : readCsvFile(dir + "/suspensions.csv"))
                if (row.cells.size() >= 5 && row.cells[0] == "32.75")
                    suspension = {{field::kSuspendedFrom, row.cells[3]},
                                  {field::kSuspendedTo, row.cells[4]},
                                  {field::kSuspensionBasis, row.cells[1] + " Nomor " + row.cells[2]}};
            const auto rows = readCsvFile(dir + "/services.csv");
            for (std::size_t i = 1; i < rows.size(); ++i)
            {
                const auto& c = rows[i].cells;
                if (c.size() < 8)
                    continue;
                const bool exempt = c[3].find("Kesehatan") != std::string::npos;
                auto& fields = out[nameUuid("service:" + c[0])];
                // The same on every device, like the ids: the seed is one
                // record everywhere, not one per laptop.
                fields = {{field::kCreatedAt, "2020-01-01T00:00:00+07:00"},
                          {field::kCode, c[0]},
                          {field::kName, c[1]},
                          {field::kAgency, c[3]},
                          {field::kSlaDays, c[4]},
                          {field::kNeedsFieldVerification, c[6]},
                          {field::kRequirements, c[7]},
                          {field::kExemptFromSuspension, exempt ? "1" : "0"}};
                if (!exempt)
                    fields.insert(suspension.begin(), suspension.end());
            }
        }
        catch (const std::exception&)
        {
        }
        return out;
    }();
    return services;
}

const std::map<std::string, std::string>& referenceServiceIds()
{
    static const std::map<std::string, std::string> ids = [] {
        std::map<std::string, std::string> out;
        for (const auto& [id, fields] : referenceServices())
            out[fields.at(field::kCode)] = id;
        return out;
    }();
    return ids;
}

bool DatedRequirement::holds(const std::string& day, const std::string& kecamatan) const
{
    const bool inRegion = kecamatan == region || kecamatan.rfind(region + ".", 0) == 0;
    return inRegion && day >= from && (to.empty() || day <= to);
}

std::string DatedRequirement::item() const
{
    return requirement + " (" + instrument + (number.empty() ? std::string() : " " + number) + ")";
}

std::vector<std::string> referenceFindingsChecklist(const std::string& serviceCode)
{
    static const std::map<std::string, std::vector<std::string>> lists = [] {
        std::map<std::string, std::vector<std::string>> out;
        try
        {
            const auto rows = readCsvFile(assetsDir() + "/reference/findings-checklist.csv");
            for (std::size_t i = 1; i < rows.size(); ++i)
            {
                const auto& c = rows[i].cells;
                if (c.size() >= 2 && !c[0].empty() && !c[1].empty())
                    out[c[0]].push_back(c[1]);
            }
        }
        catch (const std::exception&)
        {
        }
        return out;
    }();
    const auto it = lists.find(serviceCode);
    return it == lists.end() ? std::vector<std::string>{} : it->second;
}

Findings parseFindings(const std::string& text)
{
    Findings f;
    std::size_t pos = 0;
    while (pos < text.size())
    {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string line = text.substr(pos, end - pos);
        if (line.size() < 5 || line[0] != '[' || line[2] != ']' || line[3] != ' ' || (line[1] != 'x' && line[1] != ' '))
            break;
        f.items.push_back({line.substr(4), line[1] == 'x'});
        pos = end + 1;
    }
    if (f.items.empty())
        f.notes = text;
    else if (pos < text.size())
        f.notes = text.substr(text.compare(pos, 1, "\n") == 0 ? pos + 1 : pos);
    return f;
}

std::string formatFindings(const Findings& findings)
{
    std::string out;
    for (const auto& i : findings.items)
        out += std::string(i.met ? "[x] " : "[ ] ") + i.item + "\n";
    if (!findings.items.empty() && !findings.notes.empty())
        out += "\n";
    out += findings.notes;
    if (!findings.items.empty() && findings.notes.empty() && !out.empty())
        out.pop_back();
    return out;
}

const std::vector<DatedRequirement>& referenceDatedRequirements()
{
    static const std::vector<DatedRequirement> dated = [] {
        std::vector<DatedRequirement> out;
        try
        {
            const auto rows = readCsvFile(assetsDir() + "/reference/requirements-dated.csv");
            for (std::size_t i = 1; i < rows.size(); ++i)
            {
                const auto& c = rows[i].cells;
                if (c.size() >= 7 && !c[0].empty() && !c[3].empty() && !c[6].empty())
                    out.push_back({c[0], c[1], c[2], c[3], c[4], c[6]});
            }
        }
        catch (const std::exception&)
        {
        }
        return out;
    }();
    return dated;
}

} // namespace berkas::model
