#include "desktop/BapReport.h"

#include "model/Assets.h"
#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/IndonesianDate.h"
#include "model/RecordNumber.h"
#include "model/Regions.h"
#include "model/Schema.h"

#include <Poco/File.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <jpeglib.h>

#include <csetjmp>
#include <cstdio>
#include <memory>
#include <vector>

namespace berkas::desktop {

namespace {

using model::Record;
namespace field = model::field;

constexpr double kPageWidth = 595.28; // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.0;
constexpr double kTextWidth = kPageWidth - 2 * kMargin;
constexpr const char* kFont = "DejaVu Sans";

const char* const kVerifierSignature = "signature-verifier.png";
const char* const kApplicantSignature = "signature-applicant.png";

std::string resultWords(const std::string& result)
{
    if (result == "compliant")
        return "Memenuhi syarat";
    if (result == "non_compliant")
        return "Tidak memenuhi syarat";
    if (result == "needs_revision")
        return "Perlu perbaikan dokumen";
    return "Belum ditetapkan";
}

/// An image of an attachment for cairo: PNG decoded by cairo, JPEG kept as
/// its bytes (attached as mime data, so the PDF embeds the photo as it was
/// taken) on a surface of its size read by libjpeg.
struct Picture
{
    cairo_surface_t* surface = nullptr;
    std::shared_ptr<std::string> bytes;
    ~Picture()
    {
        if (surface)
            cairo_surface_destroy(surface);
    }
    int width() const { return cairo_image_surface_get_width(surface); }
    int height() const { return cairo_image_surface_get_height(surface); }
};

struct JpegError
{
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
};

bool jpegSize(const std::string& bytes, int& width, int& height)
{
    jpeg_decompress_struct info;
    JpegError err;
    info.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = [](j_common_ptr c) { std::longjmp(reinterpret_cast<JpegError*>(c->err)->jump, 1); };
    err.mgr.output_message = [](j_common_ptr) {}; // libjpeg's own warnings; the caller says what is wrong
    if (setjmp(err.jump))
    {
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    width = static_cast<int>(info.image_width);
    height = static_cast<int>(info.image_height);
    jpeg_destroy_decompress(&info);
    return width > 0 && height > 0;
}

std::unique_ptr<Picture> loadPicture(model::CaseStore& store, const Record& attachment)
{
    auto p = std::make_unique<Picture>();
    p->bytes = std::make_shared<std::string>(model::readAttachment(store, attachment.value(field::kSha256)));
    const std::string& b = *p->bytes;
    const std::string name = attachment.value(field::kName);
    if (b.size() > 8 && b.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0)
    {
        struct Reader
        {
            const std::string* data;
            std::size_t pos;
        } reader{&b, 0};
        p->surface = cairo_image_surface_create_from_png_stream(
            [](void* closure, unsigned char* out, unsigned int length) {
                auto* r = static_cast<Reader*>(closure);
                if (r->pos + length > r->data->size())
                    return CAIRO_STATUS_READ_ERROR;
                std::copy_n(r->data->data() + r->pos, length, out);
                r->pos += length;
                return CAIRO_STATUS_SUCCESS;
            },
            &reader);
    }
    else if (b.size() > 3 && b.compare(0, 3, "\xFF\xD8\xFF") == 0)
    {
        int w = 0;
        int h = 0;
        if (jpegSize(b, w, h))
        {
            p->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
            auto* keep = new std::shared_ptr<std::string>(p->bytes);
            cairo_surface_set_mime_data(p->surface, CAIRO_MIME_TYPE_JPEG,
                                        reinterpret_cast<const unsigned char*>(b.data()), b.size(),
                                        [](void* data) { delete static_cast<std::shared_ptr<std::string>*>(data); },
                                        keep);
        }
    }
    if (!p->surface || cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS)
        throw Error(ErrorCode::Storage, "attachment \"" + name + "\" (" + attachment.id +
                                            ") is not a readable JPEG or PNG image");
    return p;
}

/// Lays text out top to bottom on the pages of one PDF, starting a new page
/// when the next line would not fit.
class Writer
{
public:
    explicit Writer(cairo_t* cr) : m_cr(cr) {}

    int pages() const { return m_pages; }
    double y() const { return m_y; }
    void skip(double points) { m_y += points; }

    void need(double height)
    {
        if (m_y + height > kPageHeight - kMargin)
            newPage();
    }
    void newPage()
    {
        cairo_show_page(m_cr);
        ++m_pages;
        m_y = kMargin;
    }
    void font(double size, bool bold = false)
    {
        cairo_select_font_face(m_cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(m_cr, size);
        m_size = size;
    }
    double width(const std::string& text)
    {
        cairo_text_extents_t e;
        cairo_text_extents(m_cr, text.c_str(), &e);
        return e.x_advance;
    }
    /// One line at @p x; centred on the page when @p x < 0.
    void line(const std::string& text, double x = kMargin)
    {
        need(m_size * 1.45);
        m_y += m_size * 1.15;
        cairo_move_to(m_cr, x < 0 ? (kPageWidth - width(text)) / 2 : x, m_y);
        cairo_show_text(m_cr, text.c_str());
        m_y += m_size * 0.3;
    }
    /// @p text wrapped at word boundaries within [x, x + w]; line breaks kept.
    void paragraph(const std::string& text, double x = kMargin, double w = kTextWidth)
    {
        std::size_t start = 0;
        while (start <= text.size())
        {
            const std::size_t end = std::min(text.find('\n', start), text.size());
            std::string rest = text.substr(start, end - start);
            if (rest.empty())
                line("", x);
            while (!rest.empty())
            {
                std::size_t cut = rest.size();
                while (width(rest.substr(0, cut)) > w)
                {
                    const std::size_t space = rest.rfind(' ', cut - 1);
                    if (space == std::string::npos || space == 0)
                        break;
                    cut = space;
                }
                line(rest.substr(0, cut), x);
                rest = cut < rest.size() ? rest.substr(cut + 1) : "";
            }
            start = end + 1;
        }
    }
    /// "label : value" rows, the values aligned.
    void row(const std::string& label, const std::string& value)
    {
        const double valueX = kMargin + 150;
        need(m_size * 1.45);
        const double top = m_y;
        line(label);
        m_y = top;
        line(":", valueX - 10);
        m_y = top;
        paragraph(value.empty() ? "-" : value, valueX, kTextWidth - 150);
    }
    void rule(double thickness)
    {
        cairo_set_line_width(m_cr, thickness);
        cairo_move_to(m_cr, kMargin, m_y);
        cairo_line_to(m_cr, kPageWidth - kMargin, m_y);
        cairo_stroke(m_cr);
    }
    /// @p picture scaled into a box of @p w x @p h at (@p x, current y).
    void picture(const Picture& picture, double x, double w, double h)
    {
        const double scale = std::min(w / picture.width(), h / picture.height());
        cairo_save(m_cr);
        cairo_translate(m_cr, x, m_y);
        cairo_scale(m_cr, scale, scale);
        cairo_set_source_surface(m_cr, picture.surface, 0, 0);
        cairo_paint(m_cr);
        cairo_restore(m_cr);
    }

private:
    cairo_t* m_cr;
    double m_y = kMargin;
    double m_size = 11;
    int m_pages = 1;
};

} // namespace

BapSummary writeBapReport(model::CaseStore& store, const std::string& taskId, const Letterhead& letterhead,
                          const std::string& pdfPath)
{
    const Record task = store.get(taskId);
    if (task.kind != model::kind::kTask)
        throw Error(ErrorCode::InvalidData, "id: " + taskId + " is a " + task.kind + ", not a task");
    const auto app = store.find(task.value(field::kApplicationId));
    const std::string serviceCode = app ? app->value(field::kServiceCode) : "";
    std::string serviceName;
    {
        model::ListQuery q;
        q.kind = model::kind::kService;
        q.where = {{field::kCode, serviceCode}};
        for (const auto& s : store.list(q))
            serviceName = s.value(field::kName);
    }
    const std::string appNumber = app ? model::recordNumber(*app).number : "";

    // The task's images: the two signatures by name, the rest photos.
    std::unique_ptr<Picture> verifierSignature;
    std::unique_ptr<Picture> applicantSignature;
    std::vector<std::pair<std::string, std::unique_ptr<Picture>>> photos;
    {
        model::ListQuery q;
        q.kind = model::kind::kAttachment;
        q.where = {{field::kParentId, taskId}};
        for (const auto& a : store.list(q))
        {
            const std::string name = a.value(field::kName);
            const std::string mime = a.value(field::kMime);
            if (name == kVerifierSignature)
                verifierSignature = loadPicture(store, a);
            else if (name == kApplicantSignature)
                applicantSignature = loadPicture(store, a);
            else if (mime == "image/jpeg" || mime == "image/png")
                photos.emplace_back(name, loadPicture(store, a));
        }
    }

    BapSummary summary;
    std::string shortId = taskId.size() > 6 ? taskId.substr(taskId.size() - 6) : taskId;
    for (auto& c : shortId)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    summary.number = "BAP/" + (appNumber.empty() ? std::string("-") : appNumber) + "/" + shortId;
    const std::string visited = task.value(field::kVisitedAt);
    const std::string day = visited.size() >= 10 ? visited.substr(0, 10) : store.today().toString();
    const model::Regions& regions = model::Regions::standard();
    const std::string kecamatan = app ? regions.name(app->value(field::kKecamatan)) : "";
    const std::string kelurahan = app ? regions.name(app->value(field::kKelurahan)) : "";
    std::string where = app ? app->value(field::kAddress) : "";
    for (const auto& part : {kelurahan.empty() ? "" : "Kelurahan " + kelurahan,
                             kecamatan.empty() ? "" : "Kecamatan " + kecamatan})
        if (!part.empty())
            where += (where.empty() ? "" : ", ") + part;

    const std::string partial = pdfPath + ".partial";
    cairo_surface_t* surface = cairo_pdf_surface_create(partial.c_str(), kPageWidth, kPageHeight);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
    {
        cairo_surface_destroy(surface);
        throw Error(ErrorCode::Storage, "to: cannot write " + pdfPath);
    }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, ("Berita Acara Pemeriksaan " + summary.number).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Berkas");
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 0, 0, 0);
    Writer w(cr);

    // Kop surat.
    w.font(9, true);
    w.line("PEMERINTAH DAERAH", -1);
    w.font(13, true);
    w.line(letterhead.officeName, -1);
    w.font(9);
    w.line(letterhead.officeAddress, -1);
    w.skip(4);
    w.rule(2);
    w.skip(2);
    w.rule(0.6);
    w.skip(14);

    w.font(12, true);
    w.line("BERITA ACARA PEMERIKSAAN LAPANGAN", -1);
    w.font(10);
    w.line("Nomor: " + summary.number, -1);
    w.skip(10);

    w.font(10);
    w.paragraph("Pada hari ini " + model::indonesianDate(day, true) + ", bertempat di " +
                (where.empty() ? std::string("lokasi permohonan") : where) +
                ", petugas verifikasi lapangan yang bertanda tangan di bawah ini telah melakukan pemeriksaan "
                "lapangan atas permohonan berikut:");
    w.skip(4);
    w.row("Nomor permohonan", appNumber);
    w.row("Jenis layanan", serviceCode + (serviceName.empty() ? "" : " - " + serviceName));
    w.row("Nama pemohon", app ? app->value(field::kApplicantName) : "");
    w.row("NIK", app ? app->value(field::kNik) : "");
    w.row("Alamat lokasi", where);
    const std::string lat = task.value(field::kLatitude);
    const std::string lon = task.value(field::kLongitude);
    w.row("Koordinat", lat.empty() || lon.empty() ? "" : lat + ", " + lon + " (lintang, bujur)");
    w.row("Waktu kunjungan", visited);
    w.row("Petugas verifikasi", task.value(field::kAssignedTo));
    w.skip(8);

    const model::Findings findings = model::parseFindings(task.value(field::kFindings));
    w.font(10, true);
    w.line("Hasil pemeriksaan:");
    w.font(10);
    int n = 0;
    for (const auto& item : findings.items)
    {
        const double top = w.y();
        w.line(std::to_string(++n) + ".");
        w.skip(top - w.y());
        w.paragraph(item.item, kMargin + 18, kTextWidth - 90);
        const double bottom = w.y();
        w.skip(top - w.y());
        w.line(item.met ? "Sesuai" : "Tidak sesuai", kPageWidth - kMargin - 70);
        w.skip(bottom - w.y());
    }
    if (!findings.notes.empty())
    {
        w.skip(4);
        w.font(10, true);
        w.line("Catatan petugas:");
        w.font(10);
        w.paragraph(findings.notes);
    }
    w.skip(6);
    w.font(10, true);
    w.line("Kesimpulan: " + resultWords(task.value(field::kResult)));
    w.font(10);
    w.paragraph("Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.");
    w.skip(14);

    // Signatures: the verifier on the left, the applicant on the right.
    w.need(150);
    const double right = kMargin + kTextWidth / 2 + 20;
    std::string place = letterhead.place;
    if (place.empty() && app && app->value(field::kKecamatan).size() >= 5)
        place = regions.name(app->value(field::kKecamatan).substr(0, 5)); // the regency: "Kota Bekasi"
    w.line((place.empty() ? std::string() : place + ", ") + model::indonesianDate(day), right);
    double top = w.y();
    w.line("Pemohon,", kMargin);
    w.skip(top - w.y());
    w.line("Petugas Verifikasi,", right);
    w.skip(4);
    if (applicantSignature)
    {
        w.picture(*applicantSignature, kMargin, 160, 70);
        ++summary.signatures;
    }
    if (verifierSignature)
    {
        w.picture(*verifierSignature, right, 160, 70);
        ++summary.signatures;
    }
    w.skip(74);
    top = w.y();
    w.font(10, true);
    w.line(app ? app->value(field::kApplicantName) : "", kMargin);
    w.skip(top - w.y());
    w.line(task.value(field::kAssignedTo), right);

    // Photos, two to a row, on pages of their own.
    if (!photos.empty())
    {
        w.newPage();
        w.font(11, true);
        w.line("LAMPIRAN FOTO - " + summary.number);
        w.skip(8);
        const double boxW = (kTextWidth - 16) / 2;
        const double boxH = 190;
        for (std::size_t i = 0; i < photos.size(); i += 2)
        {
            w.need(boxH + 30);
            const double rowTop = w.y();
            for (std::size_t k = i; k < std::min(photos.size(), i + 2); ++k)
            {
                const double x = kMargin + static_cast<double>(k - i) * (boxW + 16);
                w.skip(rowTop - w.y());
                w.picture(*photos[k].second, x, boxW, boxH);
                w.skip(boxH);
                w.font(8);
                w.line("Foto " + std::to_string(k + 1) + ": " + photos[k].first, x);
                ++summary.photos;
            }
            w.skip(12);
        }
    }
    summary.pages = w.pages();
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
    {
        std::remove(partial.c_str());
        throw Error(ErrorCode::Storage, std::string("to: cannot write ") + pdfPath + ": " + cairo_status_to_string(status));
    }
    Poco::File(partial).renameTo(pdfPath);
    return summary;
}

} // namespace berkas::desktop
