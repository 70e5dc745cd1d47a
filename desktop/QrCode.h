#pragma once

#include <string>
#include <vector>

namespace berkas::desktop {

/// A QR code made by libqrencode (error correction level M, 8-bit mode, the
/// smallest version that holds the text), wx-free so that tests read it
/// back without a display. Immutable.
class QrCode
{
public:
    /// Encodes @p text. Throws Error(InvalidData) when it is empty or too
    /// long for a QR code.
    static QrCode encode(const std::string& text);

    /// Modules per side (21 for version 1, 4 more per version).
    int size() const { return m_size; }
    bool dark(int x, int y) const { return m_dark[static_cast<std::size_t>(y * m_size + x)]; }

    /// The code as a binary PGM image (8-bit grey): @p modulePixels pixels
    /// per module and @p quietModules light modules around it (the standard
    /// asks for 4).
    std::string toPgm(int modulePixels, int quietModules = 4) const;

private:
    int m_size = 0;
    std::vector<bool> m_dark;
};

} // namespace berkas::desktop
