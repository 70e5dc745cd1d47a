#include "sync/server/CatalogImport.h"

#include "model/Assets.h"
#include "model/Csv.h"
#include "model/Error.h"
#include "model/OfficeCalendar.h"
#include "model/Regions.h"
#include "model/Schema.h"
#include "model/Uuid.h"
#include "model/Validation.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace berkas::sync {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// A row's cells by the header's column names.
class Row
{
public:
    Row(const std::map<std::string, std::size_t>& columns, const model::CsvRow& row) : m_columns(columns), m_row(row) {}

    std::string get(std::initializer_list<const char*> names) const
    {
        for (const char* name : names)
            if (const auto it = m_columns.find(name); it != m_columns.end() && it->second < m_row.cells.size())
                return m_row.cells[it->second];
        return {};
    }
    int line() const { return m_row.line; }

private:
    const std::map<std::string, std::size_t>& m_columns;
    const model::CsvRow& m_row;
};

[[noreturn]] void fail(const std::string& path, int line, const std::string& field, const std::string& rule)
{
    throw Error(ErrorCode::InvalidData, path + " line " + std::to_string(line) + ": " + field + ": " + rule);
}

/// "counter intake" -> counter_intake, as reference/suspensions.csv words them.
std::optional<std::string> stepCode(const std::string& words)
{
    const std::string w = lower(words);
    for (const auto& code : model::suspensionSteps())
        if (w == code)
            return code;
    if (w.find("counter") != std::string::npos || w.find("loket") != std::string::npos)
        return std::string(model::kStepCounterIntake);
    if (w.find("field") != std::string::npos || w.find("lapangan") != std::string::npos)
        return std::string(model::kStepFieldVerification);
    if (w.find("consultation") != std::string::npos || w.find("konsultasi") != std::string::npos)
        return std::string(model::kStepConsultation);
    if (w.find("oss") != std::string::npos)
        return std::string(model::kStepOssAssistance);
    return std::nullopt;
}

/// "health services" -> health; a service code stays itself.
std::optional<std::string> exemptionCode(const std::string& words)
{
    if (model::referenceServiceIds().count(words) ||
        std::all_of(words.begin(), words.end(), [](unsigned char c) { return std::isupper(c) || std::isdigit(c) || c == '_'; }))
        return words;
    const std::string w = lower(words);
    if (w == "health" || w.find("health") != std::string::npos || w.find("kesehatan") != std::string::npos)
        return std::string("health");
    if (w == "revenue" || w.find("revenue") != std::string::npos || w.find("(pad)") != std::string::npos ||
        w.find("pajak") != std::string::npos)
        return std::string("revenue");
    return std::nullopt;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ";") + i;
    return out;
}

} // namespace

std::vector<CatalogRecord> readCatalogFile(const std::string& path, const std::string& region)
{
    const auto rows = model::readCsvFile(path);
    if (rows.empty())
        throw Error(ErrorCode::InvalidData, path + ": is empty (expected a header row)");
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < rows[0].cells.size(); ++i)
        columns[lower(rows[0].cells[i])] = i;
    const auto has = [&](const char* c) { return columns.count(c) != 0; };
    std::string kind;
    // A checklist file (code, requirements) changes only the services' lists.
    const bool checklists = has("code") && has("requirements") && !has("sla_days");
    if ((has("code") && has("sla_days")) || checklists)
        kind = model::kind::kService;
    else if (has("instrument") && has("date_from") && (has("steps_suspended") || has("steps")))
        kind = model::kind::kSuspension;
    else if (has("date") && (has("type") || has("kind")))
        kind = model::kind::kCalendarDay;
    else
        throw Error(ErrorCode::InvalidData,
                    path + " line 1: header: not a catalog file: expected the columns of services (code, sla_days, ...), "
                           "checklists (code, requirements), "
                           "suspensions (region, instrument, number, date_from, date_to, steps_suspended, ...) or "
                           "holidays (date, name_id, type, region)");
    const model::KindDef& def = model::requireKind(kind);

    std::vector<CatalogRecord> out;
    std::vector<int> lines;
    std::map<std::string, std::string> byNumber; // suspension number and title -> id
    std::vector<std::pair<std::size_t, std::string>> extensions;
    for (std::size_t r = 1; r < rows.size(); ++r)
    {
        const Row row(columns, rows[r]);
        if (std::all_of(rows[r].cells.begin(), rows[r].cells.end(), [](const std::string& c) { return c.empty(); }))
            continue;
        CatalogRecord rec;
        rec.kind = kind;
        auto& f = rec.fields;
        if (kind == model::kind::kService)
        {
            const std::string code = row.get({"code"});
            f[model::field::kCode] = code;
            if (checklists)
            {
                const auto seeded = model::referenceServiceIds().find(code);
                rec.id = seeded != model::referenceServiceIds().end() ? seeded->second
                                                                       : model::nameUuid("service:" + code);
                rec.fields[model::field::kRequirements] = row.get({"requirements"});
                rec.partial = true;
                if (rec.fields[model::field::kRequirements].size() > 1000)
                    fail(path, row.line(), model::field::kRequirements, "must be at most 1000 characters");
                out.push_back(std::move(rec));
                lines.push_back(row.line());
                continue;
            }
            f[model::field::kName] = row.get({"name_id", "name"});
            f[model::field::kAgency] = row.get({"agency"});
            f[model::field::kSlaDays] = row.get({"sla_days"});
            f[model::field::kNeedsFieldVerification] = row.get({"needs_field_verification"});
            f[model::field::kRequirements] = row.get({"requirements"});
            if (has("exempt_from_suspension"))
                f[model::field::kExemptFromSuspension] = row.get({"exempt_from_suspension"});
            const auto seeded = model::referenceServiceIds().find(code);
            rec.id = seeded != model::referenceServiceIds().end() ? seeded->second : model::nameUuid("service:" + code);
        }
        else if (kind == model::kind::kSuspension)
        {
            const std::string rowRegion = row.get({"region"});
            if (!region.empty() && rowRegion != region)
                continue;
            f[model::field::kRegion] = rowRegion;
            f[model::field::kInstrument] = row.get({"instrument"});
            f[model::field::kNumber] = row.get({"number"});
            f[model::field::kDateFrom] = row.get({"date_from"});
            f[model::field::kDateTo] = row.get({"date_to"});
            f[model::field::kScope] = row.get({"scope"});
            f[model::field::kLocations] = row.get({"locations"});
            f[model::field::kChannels] = row.get({"replacement_channels", "channels"});
            f[model::field::kSource] = row.get({"source"});
            std::vector<std::string> steps, exempt;
            for (const auto& words : model::listItems(row.get({"steps_suspended", "steps"})))
            {
                const auto code = stepCode(words);
                if (!code)
                    fail(path, row.line(), model::field::kSteps,
                         "unknown step \"" + words +
                             "\" (counter_intake, field_verification, consultation, oss_assistance)");
                if (std::find(steps.begin(), steps.end(), *code) == steps.end())
                    steps.push_back(*code);
            }
            for (const auto& words : model::listItems(row.get({"exempt", "exempt_services"})))
            {
                const auto code = exemptionCode(words);
                if (!code)
                    fail(path, row.line(), model::field::kExemptServices,
                         "unknown exemption \"" + words + "\" (a service code, health or revenue)");
                exempt.push_back(*code);
            }
            f[model::field::kSteps] = joined(steps);
            f[model::field::kExemptServices] = joined(exempt);
            rec.id = model::nameUuid("suspension:" + rowRegion + "|" + f[model::field::kInstrument] + "|" +
                                     f[model::field::kNumber] + "|" + f[model::field::kDateFrom]);
            if (!f[model::field::kNumber].empty())
                byNumber[f[model::field::kNumber]] = rec.id;
            byNumber[f[model::field::kInstrument] + " " + f[model::field::kNumber]] = rec.id;
            if (const std::string ext = row.get({"extends"}); !ext.empty())
                extensions.emplace_back(out.size(), ext);
        }
        else
        {
            const std::string rowRegion = row.get({"region"});
            std::string type = lower(row.get({"type", "kind"}));
            if (type == "public" || type.empty())
                type = rowRegion.empty() ? "national" : "regional";
            if (!region.empty() && !rowRegion.empty() && rowRegion != region)
                continue;
            f[model::field::kDate] = row.get({"date"});
            f[model::field::kName] = row.get({"name_id", "name"});
            f[model::field::kKind] = type;
            f[model::field::kRegion] = rowRegion;
            rec.id = model::nameUuid("calendar_day:" + f[model::field::kDate] + "|" + rowRegion);
        }
        // Each value as the laptops check it, then the rules across fields.
        for (auto& [name, value] : f)
        {
            const model::FieldDef* fd = def.field(name);
            if (!fd)
                continue;
            if (value.empty())
            {
                if (fd->required)
                    fail(path, row.line(), name, "is required");
                continue;
            }
            const model::FieldCheck c = model::checkFieldValue(*fd, value, model::Regions::standard());
            if (!c.ok)
                fail(path, row.line(), name, c.message());
            value = c.normalized.empty() ? value : c.normalized;
        }
        for (const auto& fd : def.fields)
            if (fd.required && f[fd.name].empty())
                fail(path, row.line(), fd.name, "is required");
        if (const auto why = model::catalogRecordProblem(kind, f))
            fail(path, row.line(), why->field, why->message());
        out.push_back(std::move(rec));
        lines.push_back(row.line());
    }
    for (const auto& [index, ext] : extensions)
    {
        const auto it = byNumber.find(ext);
        if (it == byNumber.end() || it->second == out[index].id)
            fail(path, lines[index], model::field::kExtends,
                 "no other suspension numbered \"" + ext + "\" in this file");
        out[index].fields[model::field::kExtends] = it->second;
    }
    return out;
}

} // namespace berkas::sync
