#pragma once

// Images the tests make themselves: a photo as JPEG (libjpeg) and a
// signature as PNG drawn in strokes (cairo), both synthetic.

#include <cairo.h>
#include <jpeglib.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace berkas::test {

/// Writes a @p width x @p height JPEG of a colour gradient to @p path.
inline void writeJpegPhoto(const std::string& path, int width, int height, int seed = 0)
{
    FILE* out = std::fopen(path.c_str(), "wb");
    if (!out)
        throw std::runtime_error("cannot write " + path);
    jpeg_compress_struct info;
    jpeg_error_mgr err;
    info.err = jpeg_std_error(&err);
    jpeg_create_compress(&info);
    jpeg_stdio_dest(&info, out);
    info.image_width = static_cast<JDIMENSION>(width);
    info.image_height = static_cast<JDIMENSION>(height);
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 85, TRUE);
    jpeg_start_compress(&info, TRUE);
    std::vector<unsigned char> row(static_cast<std::size_t>(width) * 3);
    while (info.next_scanline < info.image_height)
    {
        const int y = static_cast<int>(info.next_scanline);
        for (int x = 0; x < width; ++x)
        {
            row[x * 3] = static_cast<unsigned char>((x * 255 / width + seed * 40) % 256);
            row[x * 3 + 1] = static_cast<unsigned char>(y * 255 / height);
            row[x * 3 + 2] = static_cast<unsigned char>(128 + seed * 30);
        }
        JSAMPROW rows[1] = {row.data()};
        jpeg_write_scanlines(&info, rows, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    std::fclose(out);
}

/// Writes a signature-like PNG (a few strokes, transparent ground) to @p path.
inline void writeSignaturePng(const std::string& path, int seed = 0)
{
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 320, 120);
    cairo_t* cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.05, 0.1, 0.45);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, 20, 80);
    for (int x = 20; x < 300; x += 6)
        cairo_line_to(cr, x, 60 + 30 * std::sin((x + seed * 17) / 18.0));
    cairo_stroke(cr);
    cairo_move_to(cr, 60, 100);
    cairo_line_to(cr, 260, 95);
    cairo_stroke(cr);
    cairo_destroy(cr);
    const cairo_status_t status = cairo_surface_write_to_png(s, path.c_str());
    cairo_surface_destroy(s);
    if (status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error("cannot write " + path);
}

} // namespace berkas::test
