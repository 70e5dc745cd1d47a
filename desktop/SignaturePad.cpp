#include "desktop/SignaturePad.h"

#include <wx/bitmap.h>
#include <wx/dcbuffer.h>
#include <wx/dcmemory.h>
#include <wx/image.h>

namespace berkas::desktop {

namespace {

const wxColour kInk(20, 30, 110);

} // namespace

SignaturePad::SignaturePad(wxWindow* parent) : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxBORDER_SIMPLE)
{
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetMinSize(FromDIP(wxSize(320, 120)));
    SetCursor(wxCursor(wxCURSOR_PENCIL));
    Bind(wxEVT_PAINT, &SignaturePad::paint, this);
    Bind(wxEVT_LEFT_DOWN, [this](wxMouseEvent& e) {
        m_strokes.push_back({e.GetPosition()});
        m_drawing = true;
        if (!HasCapture())
            CaptureMouse();
    });
    Bind(wxEVT_MOTION, [this](wxMouseEvent& e) {
        if (!m_drawing || !e.LeftIsDown())
            return;
        m_strokes.back().push_back(e.GetPosition());
        Refresh(false);
    });
    const auto end = [this](wxMouseEvent&) {
        if (HasCapture())
            ReleaseMouse();
        if (!m_drawing)
            return;
        m_drawing = false;
        Refresh(false);
        if (onChanged)
            onChanged();
    };
    Bind(wxEVT_LEFT_UP, end);
    Bind(wxEVT_MOUSE_CAPTURE_LOST, [this](wxMouseCaptureLostEvent&) { m_drawing = false; });
}

void SignaturePad::clear()
{
    m_strokes.clear();
    Refresh(false);
    if (onChanged)
        onChanged();
}

void SignaturePad::addStroke(const std::vector<wxPoint>& points)
{
    if (points.empty())
        return;
    m_strokes.push_back(points);
    Refresh(false);
    if (onChanged)
        onChanged();
}

void SignaturePad::drawStrokes(wxDC& dc) const
{
    dc.SetPen(wxPen(kInk, FromDIP(2)));
    dc.SetBrush(wxBrush(kInk));
    for (const auto& stroke : m_strokes)
    {
        if (stroke.size() == 1)
            dc.DrawCircle(stroke.front(), FromDIP(1));
        for (std::size_t i = 1; i < stroke.size(); ++i)
            dc.DrawLine(stroke[i - 1], stroke[i]);
    }
}

void SignaturePad::paint(wxPaintEvent&)
{
    wxAutoBufferedPaintDC dc(this);
    dc.SetBackground(*wxWHITE_BRUSH);
    dc.Clear();
    drawStrokes(dc);
}

wxImage SignaturePad::image() const
{
    const wxSize size = GetClientSize();
    wxBitmap bitmap(std::max(size.x, 1), std::max(size.y, 1), 24);
    {
        wxMemoryDC dc(bitmap);
        dc.SetBackground(*wxWHITE_BRUSH);
        dc.Clear();
        drawStrokes(dc);
    }
    return bitmap.ConvertToImage();
}

bool SignaturePad::savePng(const std::string& path) const
{
    if (!wxImage::FindHandler(wxBITMAP_TYPE_PNG))
        wxImage::AddHandler(new wxPNGHandler);
    return image().SaveFile(wxString::FromUTF8(path), wxBITMAP_TYPE_PNG);
}

} // namespace berkas::desktop
