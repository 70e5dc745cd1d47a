#include "model/OfficeCalendar.h"

#include "model/Schema.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>

namespace berkas::model {

namespace {

bool within(const std::string& place, const std::string& region)
{
    return region.empty() || place == region || place.rfind(region + ".", 0) == 0;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string valueOf(const FieldMap& fields, const char* name)
{
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
}

std::set<Date> holidaySet(const std::set<Date>& shipped, const std::vector<CalendarDay>& days,
                          const std::function<bool(const CalendarDay&)>& regionalApplies)
{
    std::set<Date> out = shipped;
    for (const auto& d : days)
        if (const auto date = Date::parse(d.date); date && d.kind != "working_day" &&
                                                   (d.kind != "regional" || regionalApplies(d)))
            out.insert(*date);
    // A revision outranks the holiday it revises, whichever list has it.
    for (const auto& d : days)
        if (const auto date = Date::parse(d.date); date && d.kind == "working_day" && regionalApplies(d))
            out.erase(*date);
    return out;
}

} // namespace

const std::vector<std::string>& suspensionSteps()
{
    static const std::vector<std::string> steps = {kStepCounterIntake, kStepFieldVerification, kStepConsultation,
                                                   kStepOssAssistance};
    return steps;
}

Suspension Suspension::fromFields(const std::string& id, const FieldMap& fields)
{
    Suspension s;
    s.id = id;
    s.instrument = valueOf(fields, field::kInstrument);
    s.number = valueOf(fields, field::kNumber);
    s.region = valueOf(fields, field::kRegion);
    s.from = valueOf(fields, field::kDateFrom);
    s.to = valueOf(fields, field::kDateTo);
    s.extends = valueOf(fields, field::kExtends);
    s.locations = listItems(valueOf(fields, field::kLocations));
    s.steps = listItems(valueOf(fields, field::kSteps));
    s.exempt = listItems(valueOf(fields, field::kExemptServices));
    s.channels = valueOf(fields, field::kChannels);
    return s;
}

std::string Suspension::title() const
{
    return number.empty() ? instrument : instrument + " " + number;
}

bool Suspension::stops(const std::string& step) const
{
    return std::find(steps.begin(), steps.end(), step) != steps.end();
}

bool Suspension::reaches(const std::string& kecamatan) const
{
    return kecamatan.empty() || within(kecamatan, region);
}

bool Suspension::closes(const std::string& location) const
{
    if (locations.empty())
        return true;
    const std::string wanted = lower(location);
    return std::any_of(locations.begin(), locations.end(),
                       [&](const std::string& l) { return l == "*" || lower(l) == wanted; });
}

bool Suspension::exempts(const std::string& code, bool flaggedExempt) const
{
    for (const auto& e : exempt)
        if (e == code || (flaggedExempt && (e == "health" || e == "revenue")))
            return true;
    return false;
}

ServiceTerms ServiceTerms::fromFields(const FieldMap& fields)
{
    ServiceTerms t;
    t.code = valueOf(fields, field::kCode);
    t.slaDays = std::atoi(valueOf(fields, field::kSlaDays).c_str());
    const std::string fv = valueOf(fields, field::kNeedsFieldVerification);
    t.fieldVerification = fv == "yes" || fv == "optional";
    t.flaggedExempt = valueOf(fields, field::kExemptFromSuspension) == "1";
    return t;
}

CalendarDay CalendarDay::fromFields(const FieldMap& fields)
{
    return {valueOf(fields, field::kDate), valueOf(fields, field::kName), valueOf(fields, field::kKind),
            valueOf(fields, field::kRegion)};
}

OfficeCalendar::OfficeCalendar(std::set<Date> shipped, std::vector<CalendarDay> days,
                               std::vector<Suspension> suspensions)
    : m_suspensions(std::move(suspensions)),
      m_everywhere(holidaySet(shipped, days, [](const CalendarDay&) { return true; })),
      m_national(holidaySet(shipped, days, [](const CalendarDay& d) { return d.region.empty(); }))
{
    // An extension keeps what it does not say of the suspension it extends
    // (its counters, steps and exemptions), however long the chain.
    for (int round = 0; round < 8; ++round)
        for (auto& s : m_suspensions)
        {
            if (s.extends.empty())
                continue;
            const auto parent = std::find_if(m_suspensions.begin(), m_suspensions.end(),
                                             [&](const Suspension& p) { return p.id == s.extends; });
            if (parent == m_suspensions.end())
                continue;
            if (s.locations.empty())
                s.locations = parent->locations;
            if (s.steps.empty())
                s.steps = parent->steps;
            if (s.exempt.empty())
                s.exempt = parent->exempt;
            if (s.region.empty())
                s.region = parent->region;
        }
    std::stable_sort(m_suspensions.begin(), m_suspensions.end(), [](const Suspension& a, const Suspension& b) {
        return a.from != b.from ? a.from < b.from : a.id < b.id;
    });
    std::set<std::string> regions;
    for (const auto& d : days)
        if (!d.region.empty())
            regions.insert(d.region);
    for (const auto& region : regions)
        m_byRegion.emplace_back(region, WorkingDayCalendar(holidaySet(shipped, days, [&](const CalendarDay& d) {
                                    return d.region.empty() || d.region == region;
                                })));
}

const WorkingDayCalendar& OfficeCalendar::holidays(const std::string& kecamatan) const
{
    if (kecamatan.empty())
        return m_everywhere;
    for (const auto& [region, calendar] : m_byRegion)
        if (within(kecamatan, region))
            return calendar;
    return m_national;
}

const Suspension* OfficeCalendar::suspension(const std::string& day, const ServiceTerms& service,
                                             const std::string& step, const std::string& location,
                                             const std::string& kecamatan) const
{
    const Suspension* found = nullptr;
    for (const auto& s : m_suspensions)
        if (s.holdsOn(day) && s.stops(step) && s.reaches(kecamatan) && (location.empty() || s.closes(location)) &&
            !s.exempts(service.code, service.flaggedExempt))
            found = &s;
    return found;
}

bool OfficeCalendar::paused(const std::string& day, const ServiceTerms& service, const std::string& kecamatan) const
{
    return suspension(day, service, kStepCounterIntake, "", kecamatan) ||
           (service.fieldVerification && suspension(day, service, kStepFieldVerification, "", kecamatan));
}

Date OfficeCalendar::applicationDue(Date start, const ServiceTerms& service, const std::string& kecamatan) const
{
    const WorkingDayCalendar& calendar = holidays(kecamatan);
    Date day = start;
    int left = service.slaDays;
    // A suspension open-ended and never lifted would pause the clock for
    // ever; the count stops looking after ten years of days.
    for (int guard = 0; left > 0 && guard < 3660; ++guard)
    {
        day = day.addDays(1);
        if (calendar.isWorkingDay(day) && !paused(day.toString(), service, kecamatan))
            --left;
    }
    return day;
}

std::vector<const Suspension*> OfficeCalendar::pauses(Date start, Date due, const ServiceTerms& service,
                                                      const std::string& kecamatan) const
{
    std::vector<const Suspension*> out;
    for (const auto& s : m_suspensions)
    {
        if (s.from > due.toString() || (!s.to.empty() && s.to <= start.toString()) || !s.reaches(kecamatan) ||
            s.exempts(service.code, service.flaggedExempt) ||
            !(s.stops(kStepCounterIntake) || (service.fieldVerification && s.stops(kStepFieldVerification))))
            continue;
        out.push_back(&s);
    }
    return out;
}

std::vector<const Suspension*> OfficeCalendar::holdingOn(const std::string& day) const
{
    std::vector<const Suspension*> out;
    for (const auto& s : m_suspensions)
        if (s.holdsOn(day))
            out.push_back(&s);
    return out;
}

std::optional<FieldProblem> catalogRecordProblem(const std::string& kind, const FieldMap& fields)
{
    if (kind == kind::kSuspension)
    {
        const std::string from = valueOf(fields, field::kDateFrom);
        const std::string to = valueOf(fields, field::kDateTo);
        if (!from.empty() && !to.empty() && to < from)
            return FieldProblem(field::kDateTo, {ProblemCode::DateOrder, {field::kDateFrom, from, to}});
        if (valueOf(fields, field::kSteps).empty() && valueOf(fields, field::kExtends).empty())
            return FieldProblem(field::kSteps, {ProblemCode::Required, {}}); // an extension keeps its original's
    }
    if (kind == kind::kCalendarDay && valueOf(fields, field::kKind) == "regional" &&
        valueOf(fields, field::kRegion).empty())
        return FieldProblem(field::kRegion, {ProblemCode::RegionRequired, {}});
    return std::nullopt;
}

} // namespace berkas::model
