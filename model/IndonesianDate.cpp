#include "model/IndonesianDate.h"

#include "model/Date.h"

namespace berkas::model {

namespace {

const char* const kMonths[] = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                               "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
const char* const kWeekdays[] = {"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"};

} // namespace

std::string indonesianDate(const std::string& isoDate, bool weekday)
{
    const auto date = Date::parse(isoDate);
    if (!date)
        return isoDate;
    std::string text =
        std::to_string(date->day()) + " " + kMonths[date->month() - 1] + " " + std::to_string(date->year());
    return weekday ? std::string(kWeekdays[date->weekday() - 1]) + ", " + text : text;
}

} // namespace berkas::model
