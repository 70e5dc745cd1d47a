#pragma once

#include "model/Date.h"
#include "model/Record.h"
#include "model/ValidationReport.h"
#include "model/WorkingDayCalendar.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace berkas::model {

/// The steps of service a suspension can stop (field `steps` of a
/// suspension record).
inline constexpr const char* kStepCounterIntake = "counter_intake";
inline constexpr const char* kStepFieldVerification = "field_verification";
inline constexpr const char* kStepConsultation = "consultation";
inline constexpr const char* kStepOssAssistance = "oss_assistance";

/// The allowed items of a suspension's `steps`, in the order above.
const std::vector<std::string>& suspensionSteps();

/// A suspension of face-to-face service (a `suspension` record), with what an
/// extension leaves empty taken from the suspension it extends.
struct Suspension
{
    std::string id;
    std::string instrument; ///< "Instruksi Wali Kota Bekasi"
    std::string number;     ///< "067/613/DPMPTSP", may be empty
    std::string region;     ///< Kemendagri code of the kab/kota (or kecamatan) it holds in; "" everywhere
    std::string from;       ///< first day, YYYY-MM-DD
    std::string to;         ///< last day; "" until lifted
    std::string extends;    ///< id of the suspension this one extends, or ""
    std::vector<std::string> locations; ///< counters it closes; empty: every counter
    std::vector<std::string> steps;     ///< suspensionSteps() items
    std::vector<std::string> exempt;    ///< service codes, or "health"/"revenue": every flagged service
    std::string channels;   ///< what replaces the counter meanwhile

    static Suspension fromFields(const std::string& id, const FieldMap& fields);

    /// "Instruksi Wali Kota Bekasi 067/613/DPMPTSP".
    std::string title() const;
    bool holdsOn(const std::string& day) const { return day >= from && (to.empty() || day <= to); }
    bool stops(const std::string& step) const;
    /// Whether it reaches a place: an application's kecamatan (PP.RR.DD),
    /// within region, or "" (no place known: every region).
    bool reaches(const std::string& kecamatan) const;
    /// Whether it closes the counter named @p location.
    bool closes(const std::string& location) const;
    /// Whether service @p code, flagged @p flaggedExempt in the catalog
    /// (exempt_from_suspension: health and local revenue), is exempt.
    bool exempts(const std::string& code, bool flaggedExempt) const;
};

/// A day of the office's calendar set by the central office (a
/// `calendar_day` record): a national holiday missing from the shipped list,
/// collective leave (cuti bersama), a regional holiday of one kab/kota, or a
/// working day that revises a holiday away.
struct CalendarDay
{
    std::string date;
    std::string name;
    std::string kind;   ///< national, cuti_bersama, regional, working_day
    std::string region; ///< for regional: the kab/kota code ("51.02")

    static CalendarDay fromFields(const FieldMap& fields);
};

/// What a service's suspension check needs of the catalog.
struct ServiceTerms
{
    std::string code;
    int slaDays = 0;
    bool fieldVerification = false; ///< needs_field_verification yes or optional
    bool flaggedExempt = false;     ///< exempt_from_suspension

    /// From a service record's fields.
    static ServiceTerms fromFields(const FieldMap& fields);
};

/// The office's calendar as every replica computes it from the same data:
/// the shipped national holidays, the central office's calendar days and its
/// suspensions. Due dates, counter days and "suspended today" all ask it, so
/// the laptop, the command line, the window and the server decide alike.
/// Immutable once made.
class OfficeCalendar
{
public:
    OfficeCalendar(std::set<Date> shipped, std::vector<CalendarDay> days, std::vector<Suspension> suspensions);

    /// Holidays for a place: the shipped ones, national days and collective
    /// leave, the regional days of @p kecamatan's kab/kota (every regional
    /// day when @p kecamatan is ""), less days revised to working days.
    const WorkingDayCalendar& holidays(const std::string& kecamatan = "") const;

    /// The suspension that stops @p step of service @p service on @p day at
    /// counter @p location (for a booking: "" when not about a counter) in
    /// @p kecamatan (for an application: "" when not known); nullptr when
    /// none does. The one that started last, when several do.
    const Suspension* suspension(const std::string& day, const ServiceTerms& service, const std::string& step,
                                 const std::string& location, const std::string& kecamatan) const;

    /// The due date of an application of @p service in @p kecamatan whose
    /// SLA clock started on @p start: sla_days working days of its place,
    /// not counting the days a suspension stops the counter intake or, for a
    /// service verified in the field, field verification. The clock is
    /// paused those days.
    Date applicationDue(Date start, const ServiceTerms& service, const std::string& kecamatan) const;

    /// The suspensions that paused that clock between @p start and @p due
    /// (why a due date is later than the SLA alone), in order of start.
    std::vector<const Suspension*> pauses(Date start, Date due, const ServiceTerms& service,
                                          const std::string& kecamatan) const;

    /// The suspensions holding on @p day, in order of start.
    std::vector<const Suspension*> holdingOn(const std::string& day) const;

    const std::vector<Suspension>& suspensions() const { return m_suspensions; }

private:
    bool paused(const std::string& day, const ServiceTerms& service, const std::string& kecamatan) const;

    std::vector<Suspension> m_suspensions;
    WorkingDayCalendar m_everywhere; ///< with every regional day
    WorkingDayCalendar m_national;   ///< with none
    std::vector<std::pair<std::string, WorkingDayCalendar>> m_byRegion;
};

/// The problem of a suspension's or calendar day's fields taken together
/// (date_to before date_from; a regional day without its region), or
/// nullopt. Field by field checks are checkFieldValue()'s. The laptop's
/// store and the central office's catalog import both ask it.
std::optional<FieldProblem> catalogRecordProblem(const std::string& kind, const FieldMap& fields);

} // namespace berkas::model
