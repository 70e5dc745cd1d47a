#include "model/ApplicantEmail.h"

#include <map>

#include <catch2/catch.hpp>

using namespace berkas::model;

namespace {

std::optional<std::string> emailOf(const std::string& kind, std::map<std::string, std::string> fields)
{
    return applicantEmail(kind, [&fields](const std::string& f) { return fields[f]; });
}

} // namespace

TEST_CASE("ApplicantEmail: the address the central office writes to, or none", "[model][mail]")
{
    SECTION("an application's and a booking's e-mail field")
    {
        CHECK(emailOf("application", {{"email", "rina@contoh.test"}}) == std::string("rina@contoh.test"));
        CHECK(emailOf("booking", {{"email", " Sri@Contoh.TEST "}}) == std::string("Sri@contoh.test"));
        CHECK_FALSE(emailOf("application", {{"email", ""}}));
        CHECK_FALSE(emailOf("booking", {{"email", "   "}}));
        CHECK_FALSE(emailOf("application", {{"email", "rina@contoh"}, {"contact", "rina@contoh.test"}}));
    }
    SECTION("a complaint's contact, only when it is an e-mail address")
    {
        CHECK(emailOf("complaint", {{"contact", "dewi@contoh.test"}}) == std::string("dewi@contoh.test"));
        CHECK_FALSE(emailOf("complaint", {{"contact", "+6281234567890"}}));
        CHECK_FALSE(emailOf("complaint", {{"contact", "@dewi_lestari"}}));
        CHECK_FALSE(emailOf("complaint", {{"email", "dewi@contoh.test"}}));
    }
    SECTION("other kinds get no e-mail")
    {
        CHECK_FALSE(kindGetsEmail("task"));
        CHECK_FALSE(emailOf("task", {{"email", "budi@contoh.test"}}));
        CHECK(kindGetsEmail("application"));
        CHECK(kindGetsEmail("booking"));
        CHECK(kindGetsEmail("complaint"));
    }
}
