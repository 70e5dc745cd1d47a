#include "desktop/QrCode.h"

#include "model/Error.h"

#include <qrencode.h>

#include <algorithm>
#include <memory>

namespace berkas::desktop {

QrCode QrCode::encode(const std::string& text)
{
    if (text.empty())
        throw Error(ErrorCode::InvalidData, "qr: nothing to encode");
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code)
        throw Error(ErrorCode::InvalidData,
                    "qr: the address is too long for a QR code (" + std::to_string(text.size()) + " bytes)");
    QrCode out;
    out.m_size = code->width;
    out.m_dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
    for (std::size_t i = 0; i < out.m_dark.size(); ++i)
        out.m_dark[i] = (code->data[i] & 1) != 0; // bit 0: the module is dark
    return out;
}

std::string QrCode::toPgm(int modulePixels, int quietModules) const
{
    const int side = (m_size + 2 * quietModules) * modulePixels;
    std::string pgm = "P5\n" + std::to_string(side) + " " + std::to_string(side) + "\n255\n";
    const std::size_t header = pgm.size();
    pgm.resize(header + static_cast<std::size_t>(side) * static_cast<std::size_t>(side), '\xff');
    for (int y = 0; y < m_size; ++y)
        for (int x = 0; x < m_size; ++x) {
            if (!dark(x, y))
                continue;
            for (int py = 0; py < modulePixels; ++py) {
                const std::size_t row = static_cast<std::size_t>((quietModules + y) * modulePixels + py);
                const std::size_t col = static_cast<std::size_t>((quietModules + x) * modulePixels);
                std::fill_n(pgm.begin() + static_cast<std::ptrdiff_t>(
                                              header + row * static_cast<std::size_t>(side) + col),
                            modulePixels, '\0');
            }
        }
    return pgm;
}

} // namespace berkas::desktop
