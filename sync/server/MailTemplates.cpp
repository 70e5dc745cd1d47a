#include "sync/server/MailTemplates.h"

#include "model/Assets.h"
#include "model/Date.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>

#include <algorithm>
#include <sstream>

namespace berkas::sync {

namespace {

std::string readFile(const std::string& path)
{
    Poco::FileInputStream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// Every {name} of @p text, in order.
std::vector<std::string> placeholdersIn(const std::string& text)
{
    std::vector<std::string> names;
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1))
    {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos)
            break;
        names.push_back(text.substr(open + 1, close - open - 1));
    }
    return names;
}

std::string fill(const std::string& text, const std::map<std::string, std::string>& values)
{
    std::string out;
    std::size_t at = 0;
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', at))
    {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos)
            break;
        out += text.substr(at, open - at);
        if (const auto it = values.find(text.substr(open + 1, close - open - 1)); it != values.end())
            out += it->second;
        at = close + 1;
    }
    return out + text.substr(at);
}

} // namespace

const std::vector<std::string>& MailTemplates::events()
{
    static const std::vector<std::string> kEvents = {"application_received", "application_status",
                                                     "booking_confirmed", "booking_overbooked",
                                                     "complaint_responded"};
    return kEvents;
}

const std::vector<std::string>& MailTemplates::placeholders()
{
    static const std::vector<std::string> kNames = {
        "office_name", "office_address", "applicant_name", "reg_no",  "provisional_no", "service",
        "status",      "due_date",       "booking_code",   "date",    "slot",           "location",
        "subject",     "response"};
    return kNames;
}

MailTemplates MailTemplates::load(const std::vector<std::string>& dirs)
{
    MailTemplates t;
    for (const std::string& event : events())
    {
        std::string path;
        for (const std::string& dir : dirs)
        {
            const std::string candidate = Poco::Path(dir).append("mail").append(event + ".txt").toString();
            if (Poco::File(candidate).exists())
            {
                path = candidate;
                break;
            }
        }
        if (path.empty())
            path = Poco::Path(model::assetsDir()).append("mail").append(event + ".txt").toString();
        if (!Poco::File(path).exists())
            throw Error(ErrorCode::InvalidData, path + ": the template of " + event + " e-mail is missing");
        std::string text = readFile(path);
        text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
        const std::string kSubject = "Subject:";
        const std::size_t lineEnd = text.find('\n');
        if (text.rfind(kSubject, 0) != 0 || lineEnd == std::string::npos)
            throw Error(ErrorCode::InvalidData, path + ": must start with a line \"Subject: ...\" and then the body");
        std::string subject = text.substr(kSubject.size(), lineEnd - kSubject.size());
        subject.erase(0, subject.find_first_not_of(" \t"));
        if (subject.empty())
            throw Error(ErrorCode::InvalidData, path + ": the subject line is empty");
        std::string body = text.substr(lineEnd + 1);
        body.erase(0, body.find_first_not_of('\n'));
        for (const std::string& name : placeholdersIn(subject + "\n" + body))
            if (std::find(placeholders().begin(), placeholders().end(), name) == placeholders().end())
            {
                std::string known;
                for (const auto& p : placeholders())
                    known += (known.empty() ? "{" : ", {") + p + "}";
                throw Error(ErrorCode::InvalidData, path + ": unknown placeholder {" + name + "}; known: " + known);
            }
        t.m_subjects[event] = subject;
        t.m_bodies[event] = body;
        t.m_sources[event] = path;
    }
    return t;
}

MailTemplates::Message MailTemplates::render(const std::string& event,
                                             const std::map<std::string, std::string>& values) const
{
    const auto subject = m_subjects.find(event);
    if (subject == m_subjects.end())
        throw Error(ErrorCode::InvalidData, "mail: no template for the event \"" + event + "\"");
    std::map<std::string, std::string> words = values;
    const auto kindOf = [&event] {
        return event.substr(0, event.find('_'));
    };
    if (const auto it = words.find("status"); it != words.end())
        it->second = statusInWords(kindOf(), it->second);
    for (const char* date : {"date", "due_date"})
        if (const auto it = words.find(date); it != words.end())
            it->second = dateInWords(it->second);
    std::string oneLine = fill(subject->second, words);
    std::replace(oneLine.begin(), oneLine.end(), '\n', ' ');
    return {oneLine, fill(m_bodies.at(event), words)};
}

std::string statusInWords(const std::string& kind, const std::string& status)
{
    // The window's Indonesian words for the same codes (assets/locale/id).
    static const std::map<std::string, std::map<std::string, std::string>> kWords = {
        {model::kind::kApplication,
         {{"draft", "Draf"},
          {"submitted", "Diajukan"},
          {"document_check", "Verifikasi berkas"},
          {"field_verification", "Verifikasi Lapangan"},
          {"recommendation", "Rekomendasi"},
          {"approved", "Disetujui"},
          {"rejected", "Ditolak"},
          {"issued", "Terbit"},
          {"withdrawn", "Ditarik kembali"}}},
        {model::kind::kBooking,
         {{"tentative", "Sementara"},
          {"confirmed", "Dikonfirmasi"},
          {"overbooked", "Melebihi kuota"},
          {"checked_in", "Sudah hadir"},
          {"cancelled", "Dibatalkan"},
          {"no_show", "Tidak hadir"}}},
        {model::kind::kComplaint,
         {{"received", "Diterima"}, {"in_progress", "Diproses"}, {"responded", "Ditanggapi"}, {"closed", "Selesai"}}},
    };
    if (const auto k = kWords.find(kind); k != kWords.end())
        if (const auto s = k->second.find(status); s != k->second.end())
            return s->second;
    return status;
}

std::string dateInWords(const std::string& isoDate)
{
    static const char* kDays[] = {"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"}; // ISO 1..7
    static const char* kMonths[] = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                    "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
    const auto date = model::Date::parse(isoDate);
    if (!date)
        return isoDate;
    return std::string(kDays[date->weekday() - 1]) + ", " + std::to_string(date->day()) + " " +
           kMonths[date->month() - 1] + " " + std::to_string(date->year());
}

} // namespace berkas::sync
