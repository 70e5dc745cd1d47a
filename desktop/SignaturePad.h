#pragma once

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxImage;

namespace berkas::desktop {

/// A signature drawn with the mouse, a pen or a finger (GTK hands pen and
/// touch to the window as pointer events): each press-drag-release is one
/// stroke. Kept as strokes in the pad's coordinates; image() draws them on
/// white at the pad's size, savePng() writes that image. UI thread only.
class SignaturePad : public wxPanel
{
public:
    explicit SignaturePad(wxWindow* parent);

    /// Called after a stroke ends or the pad is cleared.
    std::function<void()> onChanged;

    bool empty() const { return m_strokes.empty(); }
    std::size_t strokes() const { return m_strokes.size(); }
    void clear();
    /// Adds a whole stroke, as a drag through @p points does.
    void addStroke(const std::vector<wxPoint>& points);
    /// The signature, dark blue on white, at the pad's client size.
    wxImage image() const;
    /// Writes image() as PNG to @p path; false when it cannot.
    bool savePng(const std::string& path) const;

private:
    void paint(wxPaintEvent& event);
    void drawStrokes(wxDC& dc) const;

    std::vector<std::vector<wxPoint>> m_strokes;
    bool m_drawing = false;
};

} // namespace berkas::desktop
