#include "desktop/Background.h"

#include <wx/app.h>
#include <wx/thread.h>
#include <wx/weakref.h>

namespace berkas::desktop {

struct WindowToken::Target
{
    wxWeakRef<wxWindow> window;
};

WindowToken::WindowToken(wxWindow* window)
    : m_target(new Target{window}, [](Target* target) {
          // A wxWeakRef is not thread-safe: it is made and let go of on the
          // UI thread only. The last copy of a token may be dropped by a
          // worker; the target then goes on the UI thread.
          if (wxIsMainThread() || !wxTheApp)
              delete target;
          else
              wxTheApp->CallAfter([target] { delete target; });
      })
{
}

void WindowToken::post(std::function<void()> fn) const
{
    if (!wxTheApp)
        return;
    wxTheApp->CallAfter([target = m_target, fn = std::move(fn)] {
        if (target->window)
            fn();
    });
}

bool WindowToken::alive() const
{
    return m_target->window != nullptr;
}

} // namespace berkas::desktop
