// The Attachments tab: thumbnails of photos that are here, the state of files
// still on their way, the office's checks when a file is added.

#include "desktop/AttachmentsPage.h"
#include "model/AttachmentFiles.h"
#include "tests/desktop/gui/GuiFixture.h"
#include "tests/support/TestPhotos.h"

#include <wx/listctrl.h>

#include <catch2/catch.hpp>

using namespace berkas;

TEST_CASE("AttachmentsPage: photos show thumbnails, files not here yet say they are on their way",
          "[gui][attachments]")
{
    test::FrameFixture f;
    model::CaseStore& store = f.frame->store();
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Rini Hapsari"},
                                                         {"nik", test::kValidNik},
                                                         {"channel", "phone"},
                                                         {"kecamatan", "32.75.09"}});
    const std::string task =
        store.create("task", {{"application_id", app}, {"assigned_to", "budi"}, {"scheduled_for", "2026-12-10"}});
    auto* page = new desktop::AttachmentsPage(f.frame, store);
    std::vector<wxString> messages;
    page->onError = [&](const wxString& m) { messages.push_back(m); };
    page->load(task);

    const std::string photo = f.dir.file("tampak-depan.jpg");
    test::writeFile(photo, test::photoJpeg({-6.3015, 106.9512, "2026:12:03 09:41:05", "+07:00"}));
    REQUIRE(page->attachFile(photo));
    CHECK(messages.empty());

    // A record that arrived by sync before its file (made here as sync would).
    store.create("attachment", {{"parent_id", task},
                                {"name", "denah.pdf"},
                                {"mime", "application/pdf"},
                                {"size", "52000"},
                                {"sha256", std::string(64, 'a')}});
    page->load(task);
    auto* list = dynamic_cast<wxListCtrl*>(page->GetChildren().front());
    REQUIRE(list);
    REQUIRE(list->GetItemCount() == 2);
    const long photoRow = list->GetItemText(0) == "tampak-depan.jpg" ? 0 : 1;
    const long pdfRow = 1 - photoRow;
    CHECK(page->hasFile(photoRow));
    CHECK(page->hasThumbnail(photoRow));
    CHECK(list->GetItemText(photoRow, 3) == "-6.3015, 106.9512");
    CHECK(list->GetItemText(photoRow, 4) == "Here");
    CHECK_FALSE(page->hasFile(pdfRow));
    CHECK_FALSE(page->hasThumbnail(pdfRow));
    CHECK(list->GetItemText(pdfRow, 4) == "On its way (next sync)");
    CHECK(page->attachmentCopy(pdfRow).empty());

    SECTION("a file named as a photo that is not one is refused, with the reason")
    {
        const std::string fake = f.dir.file("foto.jpg");
        test::writeFile(fake, "%PDF-1.4\nbukan foto");
        CHECK_FALSE(page->attachFile(fake));
        REQUIRE(messages.size() == 1);
        CHECK(messages[0].Contains("foto.jpg: is not an image"));
        CHECK(list->GetItemCount() == 2);
    }
    SECTION("a photo with broken EXIF is attached, and the message says so")
    {
        const std::string broken = f.dir.file("rusak.jpg");
        test::writeFile(broken, test::brokenExifJpeg());
        CHECK(page->attachFile(broken));
        REQUIRE(messages.size() == 1);
        CHECK(messages[0].Contains("EXIF"));
        CHECK(list->GetItemCount() == 3);
    }
    page->Destroy();
}
