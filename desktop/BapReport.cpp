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
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

namespace berkas::desktop {

namespace {

using model::Record;
namespace field = model::field;

constexpr double kPageWidth = BapReport::kPageWidth;
constexpr double kPageHeight = BapReport::kPageHeight;
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
/// its bytes (attached as mime data, so a PDF or PostScript target embeds the
/// photo as it was taken) on a surface of its size read by libjpeg. A target
/// that cannot take JPEG bytes gets the photo decoded, once, when first drawn.
struct Picture
{
    cairo_surface_t* surface = nullptr;
    std::shared_ptr<std::string> bytes;
    bool jpeg = false;
    mutable cairo_surface_t* decoded = nullptr;
    Picture() = default;
    Picture(const Picture&) = delete;
    Picture& operator=(const Picture&) = delete;
    ~Picture()
    {
        if (surface)
            cairo_surface_destroy(surface);
        if (decoded)
            cairo_surface_destroy(decoded);
    }
    int width() const { return cairo_image_surface_get_width(surface); }
    int height() const { return cairo_image_surface_get_height(surface); }
    /// What to paint on @p cr: the surface, or its decoded pixels when the
    /// target would not use the JPEG bytes.
    cairo_surface_t* sourceFor(cairo_t* cr) const;
};

struct JpegError
{
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
};

/// Reads the JPEG @p bytes: only its size when @p pixels is null, else the
/// picture as cairo RGB24 pixels (scaled down by libjpeg to at most about
/// 2000 pixels wide, which prints sharp in a half-page box), made into a
/// new surface in *@p pixels. False when the bytes are not a JPEG it reads.
bool readJpeg(const std::string& bytes, int& width, int& height, cairo_surface_t** pixels = nullptr)
{
    jpeg_decompress_struct info;
    JpegError err;
    info.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = [](j_common_ptr c) { std::longjmp(reinterpret_cast<JpegError*>(c->err)->jump, 1); };
    err.mgr.output_message = [](j_common_ptr) {}; // libjpeg's own warnings; the caller says what is wrong
    cairo_surface_t* out = nullptr;
    if (setjmp(err.jump))
    {
        jpeg_destroy_decompress(&info);
        if (out)
            cairo_surface_destroy(out);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    width = static_cast<int>(info.image_width);
    height = static_cast<int>(info.image_height);
    if (pixels && width > 0 && height > 0)
    {
        info.out_color_space = JCS_RGB;
        info.scale_num = 1;
        info.scale_denom = 1;
        while (info.scale_denom < 8 && info.image_width / info.scale_denom > 2000)
            info.scale_denom *= 2;
        jpeg_start_decompress(&info);
        out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(info.output_width),
                                         static_cast<int>(info.output_height));
        const int stride = cairo_image_surface_get_stride(out);
        unsigned char* data = cairo_image_surface_get_data(out);
        std::vector<unsigned char> row(info.output_width * 3);
        while (info.output_scanline < info.output_height)
        {
            unsigned char* line = row.data();
            const JDIMENSION y = info.output_scanline;
            jpeg_read_scanlines(&info, &line, 1);
            auto* target = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
            for (JDIMENSION x = 0; x < info.output_width; ++x)
                target[x] = (std::uint32_t{row[x * 3]} << 16) | (std::uint32_t{row[x * 3 + 1]} << 8) | row[x * 3 + 2];
        }
        jpeg_finish_decompress(&info);
        cairo_surface_mark_dirty(out);
        *pixels = out;
    }
    jpeg_destroy_decompress(&info);
    return width > 0 && height > 0;
}

cairo_surface_t* Picture::sourceFor(cairo_t* cr) const
{
    if (!jpeg || cairo_surface_supports_mime_type(cairo_get_target(cr), CAIRO_MIME_TYPE_JPEG))
        return surface;
    int w = 0;
    int h = 0;
    if (!decoded && !readJpeg(*bytes, w, h, &decoded))
        return surface; // read when it was loaded; a blank box rather than no page
    return decoded;
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
        if (readJpeg(b, w, h))
        {
            p->jpeg = true;
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

/// Lays the report out top to bottom, starting a new page when the next
/// line would not fit. Text is measured on @p measure, so every run breaks
/// the pages alike; only page @p drawnPage is drawn, on @p target (none when
/// @p target is null: a run that only counts the pages).
class Writer
{
public:
    Writer(cairo_t* measure, cairo_t* target, int drawnPage)
        : m_measure(measure), m_target(target), m_drawnPage(drawnPage)
    {
    }

    int pages() const { return m_page + 1; }
    double y() const { return m_y; }
    void skip(double points) { m_y += points; }

    void need(double height)
    {
        if (m_y + height > kPageHeight - kMargin)
            newPage();
    }
    void newPage()
    {
        ++m_page;
        m_y = kMargin;
    }
    void font(double size, bool bold = false)
    {
        for (cairo_t* cr : {m_measure, m_target})
        {
            if (!cr)
                continue;
            cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                                   bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
            cairo_set_font_size(cr, size);
        }
        m_size = size;
    }
    double width(const std::string& text)
    {
        cairo_text_extents_t e;
        cairo_text_extents(m_measure, text.c_str(), &e);
        return e.x_advance;
    }
    /// One line at @p x; centred on the page when @p x < 0.
    void line(const std::string& text, double x = kMargin)
    {
        need(m_size * 1.45);
        m_y += m_size * 1.15;
        if (drawing())
        {
            cairo_move_to(m_target, x < 0 ? (kPageWidth - width(text)) / 2 : x, m_y);
            cairo_show_text(m_target, text.c_str());
        }
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
        if (!drawing())
            return;
        cairo_set_line_width(m_target, thickness);
        cairo_move_to(m_target, kMargin, m_y);
        cairo_line_to(m_target, kPageWidth - kMargin, m_y);
        cairo_stroke(m_target);
    }
    /// @p picture scaled into a box of @p w x @p h at (@p x, current y).
    void picture(const Picture& picture, double x, double w, double h)
    {
        if (!drawing())
            return;
        cairo_surface_t* source = picture.sourceFor(m_target);
        const double scale = std::min(w / picture.width(), h / picture.height()) * picture.width() /
                             cairo_image_surface_get_width(source);
        cairo_save(m_target);
        cairo_translate(m_target, x, m_y);
        cairo_scale(m_target, scale, scale);
        cairo_set_source_surface(m_target, source, 0, 0);
        cairo_paint(m_target);
        cairo_restore(m_target);
    }

private:
    bool drawing() const { return m_target && m_page == m_drawnPage; }

    cairo_t* m_measure;
    cairo_t* m_target;
    int m_drawnPage;
    int m_page = 0;
    double m_y = kMargin;
    double m_size = 11;
};

} // namespace

struct BapReport::Content
{
    Letterhead letterhead;
    BapSummary summary;
    Record task;
    std::optional<Record> app;
    std::string serviceCode;
    std::string serviceName;
    std::string appNumber;
    std::string day;   ///< of the visit, or today: the report's date
    std::string where; ///< the address with kelurahan and kecamatan
    std::string place; ///< the city on the signature line
    std::unique_ptr<Picture> verifierSignature;
    std::unique_ptr<Picture> applicantSignature;
    std::vector<std::pair<std::string, std::unique_ptr<Picture>>> photos;
    cairo_surface_t* measureSurface = nullptr;
    cairo_t* measure = nullptr;

    ~Content()
    {
        if (measure)
            cairo_destroy(measure);
        if (measureSurface)
            cairo_surface_destroy(measureSurface);
    }

    /// The whole report, through @p w.
    void layout(Writer& w) const;
};

BapReport::BapReport(model::CaseStore& store, const std::string& taskId, const Letterhead& letterhead)
    : m_content(std::make_unique<Content>())
{
    Content& c = *m_content;
    c.letterhead = letterhead;
    c.task = store.get(taskId);
    if (c.task.kind != model::kind::kTask)
        throw Error(ErrorCode::InvalidData, "id: " + taskId + " is a " + c.task.kind + ", not a task");
    c.app = store.find(c.task.value(field::kApplicationId));
    c.serviceCode = c.app ? c.app->value(field::kServiceCode) : "";
    {
        model::ListQuery q;
        q.kind = model::kind::kService;
        q.where = {{field::kCode, c.serviceCode}};
        for (const auto& s : store.list(q))
            c.serviceName = s.value(field::kName);
    }
    c.appNumber = c.app ? model::recordNumber(*c.app).number : "";

    // The task's images: the two signatures by name, the rest photos.
    {
        model::ListQuery q;
        q.kind = model::kind::kAttachment;
        q.where = {{field::kParentId, taskId}};
        for (const auto& a : store.list(q))
        {
            const std::string name = a.value(field::kName);
            const std::string mime = a.value(field::kMime);
            if (name == kVerifierSignature)
                c.verifierSignature = loadPicture(store, a);
            else if (name == kApplicantSignature)
                c.applicantSignature = loadPicture(store, a);
            else if (mime == "image/jpeg" || mime == "image/png")
                c.photos.emplace_back(name, loadPicture(store, a));
        }
    }

    std::string shortId = taskId.size() > 6 ? taskId.substr(taskId.size() - 6) : taskId;
    for (auto& ch : shortId)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    c.summary.number = "BAP/" + (c.appNumber.empty() ? std::string("-") : c.appNumber) + "/" + shortId;
    const std::string visited = c.task.value(field::kVisitedAt);
    c.day = visited.size() >= 10 ? visited.substr(0, 10) : store.today().toString();
    const model::Regions& regions = model::Regions::standard();
    const std::string kecamatan = c.app ? regions.name(c.app->value(field::kKecamatan)) : "";
    const std::string kelurahan = c.app ? regions.name(c.app->value(field::kKelurahan)) : "";
    c.where = c.app ? c.app->value(field::kAddress) : "";
    for (const auto& part : {kelurahan.empty() ? "" : "Kelurahan " + kelurahan,
                             kecamatan.empty() ? "" : "Kecamatan " + kecamatan})
        if (!part.empty())
            c.where += (c.where.empty() ? "" : ", ") + part;
    c.place = letterhead.place;
    if (c.place.empty() && c.app && c.app->value(field::kKecamatan).size() >= 5)
        c.place = regions.name(c.app->value(field::kKecamatan).substr(0, 5)); // the regency: "Kota Bekasi"
    c.summary.signatures = (c.applicantSignature ? 1 : 0) + (c.verifierSignature ? 1 : 0);
    c.summary.photos = static_cast<int>(c.photos.size());

    // Text is measured on a PDF surface that writes nowhere: the metrics of
    // the file the report is saved as, whatever it is drawn on.
    c.measureSurface = cairo_pdf_surface_create(nullptr, kPageWidth, kPageHeight);
    c.measure = cairo_create(c.measureSurface);
    Writer counter(c.measure, nullptr, -1);
    c.layout(counter);
    c.summary.pages = counter.pages();
}

BapReport::~BapReport() = default;

const BapSummary& BapReport::summary() const
{
    return m_content->summary;
}

void BapReport::drawPage(cairo_t* cr, int page) const
{
    cairo_save(cr);
    cairo_save(m_content->measure);
    cairo_set_source_rgb(cr, 0, 0, 0);
    Writer w(m_content->measure, cr, page);
    m_content->layout(w);
    cairo_restore(m_content->measure);
    cairo_restore(cr);
}

void BapReport::Content::layout(Writer& w) const
{
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
    w.row("Waktu kunjungan", task.value(field::kVisitedAt));
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
    w.line((place.empty() ? std::string() : place + ", ") + model::indonesianDate(day), right);
    double top = w.y();
    w.line("Pemohon,", kMargin);
    w.skip(top - w.y());
    w.line("Petugas Verifikasi,", right);
    w.skip(4);
    if (applicantSignature)
        w.picture(*applicantSignature, kMargin, 160, 70);
    if (verifierSignature)
        w.picture(*verifierSignature, right, 160, 70);
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
            }
            w.skip(12);
        }
    }
}

BapSummary writeBapReport(model::CaseStore& store, const std::string& taskId, const Letterhead& letterhead,
                          const std::string& pdfPath)
{
    const BapReport report(store, taskId, letterhead);
    const BapSummary& summary = report.summary();
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
    for (int page = 0; page < report.pageCount(); ++page)
    {
        report.drawPage(cr, page);
        cairo_show_page(cr);
    }
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
