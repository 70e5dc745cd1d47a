#pragma once

#include <map>
#include <string>
#include <vector>

namespace berkas::sync {

/// The Indonesian texts of applicants' e-mail, one template per event:
/// `mail/EVENT.txt` with a first line "Subject: ...", an empty line and the
/// body. {name} stands for a value (placeholders()); every message may use
/// {office_name} and {office_address}. The shipped ones are in assets/mail;
/// the administrator replaces one by putting a file of the same name in one
/// of the folders given to load() (sync/server/README.md). Immutable after
/// load, so the worker may use it from its thread.
class MailTemplates
{
public:
    /// The events that send e-mail, which are also the templates' names:
    /// application_received, application_status, booking_confirmed,
    /// booking_overbooked, complaint_responded.
    static const std::vector<std::string>& events();
    /// The placeholders a template may use.
    static const std::vector<std::string>& placeholders();

    /// Reads every event's template from the first of @p dirs holding
    /// `mail/EVENT.txt`, else from assets/mail. Throws Error(InvalidData)
    /// naming the file and the rule for a template without its subject line
    /// or with an unknown placeholder ("/etc/berkas/mail/booking_confirmed.txt:
    /// unknown placeholder {kode}; known: ...").
    static MailTemplates load(const std::vector<std::string>& dirs);

    /// The file each event's template came from.
    const std::map<std::string, std::string>& sources() const { return m_sources; }

    struct Message
    {
        std::string subject;
        std::string body;
    };

    /// The message of @p event with @p values put in: raw record values
    /// (status codes, YYYY-MM-DD dates) made Indonesian words here, so
    /// "field_verification" reads "Verifikasi Lapangan" and "2026-12-14"
    /// "Senin, 14 Desember 2026". A placeholder without a value stays empty.
    Message render(const std::string& event, const std::map<std::string, std::string>& values) const;

private:
    std::map<std::string, std::string> m_subjects;
    std::map<std::string, std::string> m_bodies;
    std::map<std::string, std::string> m_sources;
};

/// A record's status in the Indonesian words of the window ("Diajukan");
/// the code itself when unknown.
std::string statusInWords(const std::string& kind, const std::string& status);

/// "2026-12-14" as "Senin, 14 Desember 2026"; the text itself when it is no date.
std::string dateInWords(const std::string& isoDate);

} // namespace berkas::sync
