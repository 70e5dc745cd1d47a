#include "sync/server/StatusPage.h"

#include "model/IndonesianDate.h"

#include "model/Date.h"
#include "model/Schema.h"

#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace berkas::sync::statuspage {

namespace {

/// One status of one kind: its words and the next step; "{visit}" in the
/// step becomes the booking's day and time.
struct StatusText
{
    const char* kind;
    const char* status;
    const char* words;
    const char* step;
};

// Every value of the status fields of applications and bookings (model/Schema.cpp).
const StatusText kTexts[] = {
    {model::kind::kApplication, "draft", "Belum diajukan",
     "Permohonan Anda belum diajukan oleh petugas. Hubungi petugas yang menerima permohonan Anda."},
    {model::kind::kApplication, "submitted", "Diterima, menunggu pemeriksaan berkas",
     "Permohonan Anda sudah diterima dan menunggu pemeriksaan kelengkapan berkas. Anda belum perlu melakukan "
     "apa pun."},
    {model::kind::kApplication, "document_check", "Pemeriksaan kelengkapan berkas",
     "Petugas sedang memeriksa kelengkapan berkas Anda. Bila ada persyaratan yang kurang, petugas akan "
     "menghubungi Anda."},
    {model::kind::kApplication, "field_verification", "Verifikasi lapangan",
     "Petugas akan meninjau lokasi yang dimohonkan. Pastikan lokasi dapat dikunjungi dan nomor telepon Anda "
     "dapat dihubungi."},
    {model::kind::kApplication, "recommendation", "Menunggu rekomendasi teknis",
     "Berkas Anda sedang dimintakan rekomendasi teknis dari dinas terkait. Anda belum perlu melakukan apa "
     "pun."},
    {model::kind::kApplication, "approved", "Disetujui",
     "Permohonan Anda disetujui dan izinnya sedang disiapkan. Anda akan dihubungi bila izin sudah terbit."},
    {model::kind::kApplication, "rejected", "Ditolak",
     "Permohonan Anda ditolak. Hubungi kantor kami untuk mengetahui alasannya dan langkah yang dapat Anda "
     "tempuh."},
    {model::kind::kApplication, "issued", "Izin telah terbit",
     "Izin Anda telah terbit. Ambil di loket dengan membawa tanda terima dan KTP asli, atau ikuti petunjuk "
     "petugas."},
    {model::kind::kApplication, "withdrawn", "Ditarik kembali",
     "Permohonan ini telah ditarik kembali. Ajukan permohonan baru bila Anda masih memerlukan izin ini."},
    {model::kind::kBooking, "tentative", "Menunggu konfirmasi",
     "Jadwal kunjungan Anda ({visit}) belum dikonfirmasi. Periksa kembali halaman ini nanti sebelum datang "
     "ke "
     "loket."},
    {model::kind::kBooking, "confirmed", "Terkonfirmasi",
     "Datanglah ke loket pada {visit} dengan membawa KTP asli dan kode booking ini."},
    {model::kind::kBooking, "overbooked", "Kuota penuh, perlu jadwal ulang",
     "Kuota pada jadwal yang Anda pilih sudah penuh. Petugas akan menghubungi Anda untuk memilih jadwal "
     "lain; "
     "jangan datang pada jadwal ini."},
    {model::kind::kBooking, "checked_in", "Sudah hadir",
     "Kehadiran Anda di loket sudah tercatat. Ikuti petunjuk petugas."},
    {model::kind::kBooking, "cancelled", "Dibatalkan",
     "Jadwal ini dibatalkan. Buat jadwal baru bila Anda masih memerlukan layanan di loket."},
    {model::kind::kBooking, "no_show", "Tidak hadir",
     "Anda tidak hadir pada jadwal ini. Buat jadwal baru bila Anda masih memerlukan layanan di loket."},
};

const StatusText* textOf(const PublicStatus& status)
{
    for (const auto& t : kTexts)
        if (status.kind == t.kind && status.status == t.status)
            return &t;
    return nullptr;
}

/// A booking's day and time: "Senin, 14 Desember 2026 pukul 09.30".
std::string visitText(const PublicStatus& status)
{
    std::string text = indonesianDate(status.date, true);
    if (!status.slot.empty())
        text += " pukul " + Poco::replace(status.slot, ":", ".");
    return text;
}

bool wellFormedNumber(const std::string& number)
{
    if (number.empty() || number.size() > 64)
        return false;
    for (const unsigned char c : number)
        if (!std::isalnum(c) && c != '/' && c != '-' && c != '.' && c != '_')
            return false;
    return true;
}

const char* const kStyle =
    "body{margin:0;background:#f3f5f7;color:#1b1f23;font:18px/1.5 system-ui,-apple-system,\"Segoe "
    "UI\",Roboto,"
    "\"Noto Sans\",sans-serif}"
    "main{max-width:34rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.35rem;line-height:1.3;margin:.5rem 0 1rem}"
    ".card{background:#fff;border-radius:.5rem;padding:1rem 1.1rem;margin:0 0 1rem;"
    "box-shadow:0 1px 3px rgba(0,0,0,.15)}"
    ".problem{border-left:.3rem solid #b3261e}.problem p{margin:0}"
    "dl{margin:0}label{display:block;font-weight:600;margin-top:.8rem}label:first-child{margin-top:0}"
    "input{box-sizing:border-box;width:100%;font-size:1.15rem;padding:.6rem;margin-top:.3rem;"
    "border:1px solid #7a858f;border-radius:.4rem}"
    "button{width:100%;font-size:1.15rem;font-weight:600;padding:.75rem;margin-top:1.1rem;"
    "background:#0b57a4;color:#fff;border:0;border-radius:.4rem}"
    ".hint{font-size:.9rem;color:#4a545e;margin:.2rem 0 0}"
    "dt{font-weight:600;color:#4a545e;font-size:.95rem;margin-top:.8rem}dt:first-child{margin-top:0}"
    "dd{margin:0}.status{font-size:1.3rem;font-weight:700;color:#0b57a4}"
    "footer{font-size:.85rem;color:#4a545e}a{color:#0b57a4}";

std::string page(const std::string& body)
{
    std::string html = "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"robots\" content=\"noindex\">\n"
                       "<title>Cek Status Permohonan dan Antrean</title>\n<style>";
    html += kStyle;
    html += "</style>\n</head>\n<body>\n<main>\n<h1>Cek Status Permohonan dan Antrean</h1>\n";
    html += body;
    html +=
        "<footer><p>Halaman ini hanya menampilkan status, tanggal dan langkah berikutnya. Nama, alamat dan "
        "NIK Anda tidak ditampilkan.</p></footer>\n</main>\n</body>\n</html>\n";
    return html;
}

std::string form(const std::string& number)
{
    // Relative addresses: the page works under a path prefix of a proxy too.
    return "<form class=\"card\" method=\"get\" action=\"status\">\n"
           "<label for=\"number\">Nomor registrasi atau kode booking</label>\n"
           "<input id=\"number\" name=\"number\" required maxlength=\"64\" autocomplete=\"off\" "
           "autocapitalize=\"characters\" spellcheck=\"false\" value=\"" +
           htmlEscape(number) +
           "\">\n<p class=\"hint\">Tertera pada tanda terima atau bukti booking, misalnya "
           "2026/PBG/000123.</p>\n"
           "<label for=\"nik4\">4 digit terakhir NIK</label>\n"
           "<input id=\"nik4\" name=\"nik4\" required inputmode=\"numeric\" pattern=\"[0-9]{4}\" "
           "maxlength=\"4\" "
           "autocomplete=\"off\">\n<p class=\"hint\">NIK pemohon yang tercantum pada KTP.</p>\n"
           "<button type=\"submit\">Cek status</button>\n</form>\n";
}

} // namespace

Query parseQuery(const std::vector<std::pair<std::string, std::string>>& parameters, bool bothRequired)
{
    Query q;
    for (const auto& [key, value] : parameters) {
        if (key != "number" && key != "nik4")
            continue;
        bool& seen = key == "number" ? q.hasNumber : q.hasNik4;
        if (seen && q.problem.empty()) {
            q.problem = key + ": diberikan lebih dari sekali; berikan satu saja";
            q.invalid = key;
        }
        seen = true;
        (key == "number" ? q.number : q.nik4) = Poco::trim(value);
    }
    if (!q.problem.empty())
        return q;
    if (q.hasNumber && !wellFormedNumber(q.number))
        q.invalid = "number";
    else if (q.hasNik4 &&
             (q.nik4.size() != 4 ||
              !std::all_of(q.nik4.begin(), q.nik4.end(), [](unsigned char c) { return std::isdigit(c); })))
        q.invalid = "nik4";
    else if ((bothRequired || q.hasNik4) && !q.hasNumber)
        q.invalid = "number";
    else if (bothRequired && !q.hasNik4)
        q.invalid = "nik4";
    if (q.invalid == "number" && q.hasNumber && !q.number.empty())
        q.problem =
            "number: harus 1 sampai 64 huruf, angka atau tanda / - . _ (nomor registrasi atau kode booking)";
    else if (q.invalid == "number")
        q.problem = "number: wajib diisi dengan nomor registrasi atau kode booking";
    else if (q.invalid == "nik4" && q.hasNik4 && !q.nik4.empty())
        q.problem = "nik4: harus tepat 4 angka, yaitu 4 digit terakhir NIK";
    else if (q.invalid == "nik4")
        q.problem = "nik4: wajib diisi dengan 4 digit terakhir NIK";
    return q;
}

std::string statusWords(const PublicStatus& status)
{
    const StatusText* t = textOf(status);
    return t ? t->words : "Sedang diproses";
}

std::string nextStep(const PublicStatus& status)
{
    const StatusText* t = textOf(status);
    if (!t)
        return "Hubungi kantor kami untuk keterangan lebih lanjut.";
    return Poco::replace(std::string(t->step), std::string("{visit}"), visitText(status));
}

std::string indonesianDate(const std::string& isoDate, bool weekday)
{
    return model::indonesianDate(isoDate, weekday);
}

std::string htmlEscape(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string answerJson(const PublicStatus& status)
{
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("status", statusWords(status));
    // Only a date goes out as the due date: a value that is none stays unsaid.
    if (model::Date::parse(status.date))
        o.set("due_date", status.date);
    else
        o.set("due_date", Poco::Dynamic::Var());
    o.set("next_step", nextStep(status));
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string errorJson(const std::string& code, const std::string& message)
{
    Poco::JSON::Object::Ptr error = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    error->set("code", code);
    error->set("message", message);
    Poco::JSON::Object o;
    o.set("error", error);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string answerPage(const std::string& number, const PublicStatus& status)
{
    const bool booking = status.kind == model::kind::kBooking;
    std::string when;
    if (booking)
        when = status.date.empty() ? "Belum ditetapkan" : visitText(status);
    else
        when = status.date.empty() ? "Belum ditetapkan: dihitung sejak berkas dinyatakan lengkap dan benar"
                                   : indonesianDate(status.date);
    std::string body = "<section class=\"card\">\n<dl>\n";
    body += std::string("<dt>") + (booking ? "Kode booking" : "Nomor registrasi") +
            "</dt><dd id=\"number\">" + htmlEscape(number) + "</dd>\n";
    body +=
        "<dt>Status</dt><dd id=\"status\" class=\"status\">" + htmlEscape(statusWords(status)) + "</dd>\n";
    body += std::string("<dt>") + (booking ? "Jadwal kunjungan" : "Tenggat penyelesaian") + "</dt><dd id=\"" +
            (booking ? "visit" : "due-date") + "\">" + htmlEscape(when) + "</dd>\n";
    body += "<dt>Langkah berikutnya</dt><dd id=\"next-step\">" + htmlEscape(nextStep(status)) + "</dd>\n";
    body += "</dl>\n</section>\n<p><a href=\"status\">Cek nomor lain</a></p>\n";
    return page(body);
}

std::string formPage(const std::string& number, const std::string& problem)
{
    std::string body;
    if (!problem.empty())
        body += "<section class=\"card problem\" role=\"alert\"><p id=\"problem\">" + htmlEscape(problem) +
                "</p></section>\n";
    else
        body +=
            "<p>Masukkan nomor registrasi dari tanda terima atau kode booking Anda, dan 4 digit terakhir NIK "
            "pemohon.</p>\n";
    return page(body + form(number));
}

std::string notFoundSentence()
{
    return "Data tidak ditemukan. Periksa kembali nomor registrasi atau kode booking dan 4 digit terakhir "
           "NIK. "
           "Bila keduanya sudah benar, data Anda mungkin belum dikirim oleh petugas; coba lagi nanti.";
}

std::string notFoundPage() { return formPage("", notFoundSentence()); }

std::string throttledSentence(int seconds)
{
    return "Terlalu banyak pencarian dari alamat Anda. Coba lagi dalam " + std::to_string(seconds) +
           " detik.";
}

std::string throttledPage(int seconds)
{
    return page("<section class=\"card problem\" role=\"alert\"><p id=\"problem\">" +
                htmlEscape(throttledSentence(seconds)) + "</p></section>\n");
}

} // namespace berkas::sync::statuspage
