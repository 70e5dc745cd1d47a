// The inspection report's one drawing (BapReport::drawPage) on targets other
// than the PDF file: what a printer's context gets.
#include "desktop/BapReport.h"
#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "tests/desktop/TestImages.h"
#include "tests/support/TempDir.h"

#include <cairo.h>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>

using namespace berkas;

namespace {

/// Page @p page of @p report drawn at one pixel a point on a white image,
/// a target that takes no JPEG bytes as they are.
cairo_surface_t* drawnOnImage(const desktop::BapReport& report, int page)
{
    cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 596, 842);
    cairo_t* cr = cairo_create(image);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    report.drawPage(cr, page);
    cairo_destroy(cr);
    cairo_surface_flush(image);
    return image;
}

/// The red, green and blue of pixel (@p x, @p y).
std::array<int, 3> pixel(cairo_surface_t* image, int x, int y)
{
    const unsigned char* row = cairo_image_surface_get_data(image) + y * cairo_image_surface_get_stride(image);
    const std::uint32_t p = reinterpret_cast<const std::uint32_t*>(row)[x];
    return {static_cast<int>((p >> 16) & 0xFF), static_cast<int>((p >> 8) & 0xFF), static_cast<int>(p & 0xFF)};
}

} // namespace

TEST_CASE("BapReport: a page drawn on an image shows the text and the photo decoded", "[desktop][report]")
{
    test::TempDir dir;
    model::StoreOptions o;
    o.dataDir = dir.path;
    model::CaseStore store(o);
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Sari Wulandari"},
                                                         {"nik", "3275094101900001"},
                                                         {"kecamatan", "32.75.09"},
                                                         {"channel", "phone"}});
    const std::string task = store.create("task", {{"application_id", app}, {"assigned_to", "vera.sintetis"}});
    // A gradient whose blue is 128 everywhere (seed 0).
    const std::string photo = dir.file("depan.jpg");
    test::writeJpegPhoto(photo, 640, 480, 0);
    model::addAttachment(store, task, photo);

    const desktop::BapReport report(store, task, {"DPMPTSP Kota Contoh", "Jl. Merdeka No. 1", ""});
    REQUIRE(report.pageCount() == 2);
    CHECK(report.summary().photos == 1);

    // The letter: ink on the first page, in the title's band.
    cairo_surface_t* letter = drawnOnImage(report, 0);
    int ink = 0;
    for (int y = 56; y < 200; ++y)
        for (int x = 56; x < 540; ++x)
            ink += pixel(letter, x, y)[0] < 128 ? 1 : 0;
    CHECK(ink > 500);
    cairo_surface_destroy(letter);

    // The photo page: the picture decoded into its box (left column, under
    // the heading), not an empty or black box.
    cairo_surface_t* photos = drawnOnImage(report, 1);
    const auto middle = pixel(photos, 56 + 110, 80 + 85);
    INFO(middle[0] << "," << middle[1] << "," << middle[2]);
    CHECK(middle[2] > 100);
    CHECK(middle[2] < 160);
    CHECK(middle[1] > 60);
    CHECK(middle[1] < 200);
    cairo_surface_destroy(photos);
}
