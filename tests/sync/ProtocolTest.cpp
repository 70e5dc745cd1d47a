#include "model/Error.h"
#include "sync/Protocol.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <tuple>

using namespace berkas;

namespace {

sync::WireChange change(std::int64_t seq, const std::string& id, const std::string& field,
                        std::optional<std::string> value, const std::string& device, const std::string& user)
{
    sync::WireChange c;
    c.seq = seq;
    c.kind = "application";
    c.id = id;
    c.field = field;
    c.value = std::move(value);
    c.stamp = {117642378283499521 + seq, device};
    c.user = user;
    return c;
}

/// The message decodePullText throws for @p text, or "" when it accepts it.
std::string refusal(const std::string& text)
{
    try
    {
        sync::decodePullText(text);
        return "";
    }
    catch (const Error& e)
    {
        return e.what();
    }
}

} // namespace

TEST_CASE("Protocol: a pull answer decodes to the changes it was encoded from", "[sync][protocol]")
{
    const std::vector<sync::WireChange> changes = {
        change(7, "0193b0a4-0000-7000-8000-000000000001", "applicant_name", "Rina \"Sintetis\" Wulandari",
               "0193b0a4-0000-7000-8000-00000000dev1", "clerk.satu"),
        change(8, "0193b0a4-0000-7000-8000-000000000001", "email", std::nullopt, "server", "server"),
        change(9, "0193b0a4-0000-7000-8000-000000000002", "address", "Jl. Contoh No. 1\nRT 01/RW 02",
               "0193b0a4-0000-7000-8000-00000000dev1", "manager.dua"),
    };
    std::int64_t serverTime = 0;
    const auto batch = sync::decodePullText(sync::encodePullText(changes, 9, true, 1763900000000), &serverTime);
    CHECK(batch.cursor == 9);
    CHECK(batch.more);
    CHECK(serverTime == 1763900000000);
    REQUIRE(batch.changes.size() == changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i)
    {
        const auto& a = batch.changes[i];
        const auto& b = changes[i];
        CHECK(a.seq == b.seq);
        CHECK(a.kind == b.kind);
        CHECK(a.id == b.id);
        CHECK(a.field == b.field);
        CHECK(a.value == b.value);
        CHECK(a.stamp == b.stamp);
        CHECK(a.user == b.user);
    }
}

TEST_CASE("Protocol: a record's changes that share a stamp give it once, and decode the same", "[sync][protocol]")
{
    const std::string a = "0193b0a4-0000-7000-8000-000000000001";
    const std::string b = "0193b0a4-0000-7000-8000-000000000002";
    const std::string dev = "0193b0a4-0000-7000-8000-00000000dev1";
    std::vector<sync::WireChange> changes = {
        change(1, a, "applicant_name", "Rina Wulandari", dev, "clerk.satu"),
        change(2, a, "nik", "3275094101900003", dev, "clerk.satu"),
        change(3, a, "phone", "081234567892", dev, "clerk.satu"),
        change(4, b, "address", "Jl. Contoh No. 2", dev, "clerk.satu"), // a record of one change
        change(5, b, "reg_no", "2026/PBG/000001", "server", "server"),
    };
    // Record a: one stamp for all three; the second change is by someone else.
    changes[1].stamp = changes[0].stamp;
    changes[2].stamp = changes[0].stamp;
    changes[4].stamp.hlc = changes[3].stamp.hlc;
    changes.insert(changes.begin() + 2, change(6, a, "email", std::nullopt, "server", "manager.dua"));

    const std::string plain = sync::encodePullText(changes, 6, false, 1, {}, 0, sync::PullForm::Full);
    const std::string shared = sync::encodePullText(changes, 6, false, 1, {}, 0, sync::PullForm::SharedStamps);
    const std::string compact = sync::encodePullText(changes, 6, false, 1, {}, 0, sync::PullForm::Compact);
    CHECK(shared.size() < plain.size());
    CHECK(shared.find(R"("s":[")") != std::string::npos);
    CHECK(plain.find(R"("s":)") == std::string::npos);
    CHECK(shared.find(R"("v":)") == std::string::npos);
    CHECK(compact.find(R"("v":[)") != std::string::npos);
    CHECK(compact.find(R"("applicant_name")") == compact.rfind(R"("applicant_name")")); // named once, in "fields"
    const auto sameChange = [](const sync::WireChange& a, const sync::WireChange& b) {
        CHECK(a.id == b.id);
        CHECK(a.field == b.field);
        CHECK(a.value == b.value);
        CHECK(a.stamp == b.stamp);
        CHECK(a.user == b.user);
    };
    for (const auto& text : {plain, shared})
    {
        const auto batch = sync::decodePullText(text);
        REQUIRE(batch.changes.size() == changes.size());
        for (std::size_t i = 0; i < changes.size(); ++i)
        {
            sameChange(batch.changes[i], changes[i]);
            CHECK(batch.changes[i].seq == changes[i].seq);
        }
    }
    // Compact pays for its table of field names once per answer; over many
    // records it is the smaller.
    std::vector<sync::WireChange> many;
    for (int r = 0; r < 100; ++r)
        for (std::size_t f = 0; f < 3; ++f)
        {
            many.push_back(changes[f]);
            many.back().id = a.substr(0, a.size() - 3) + std::to_string(100 + r);
            many.back().stamp = changes[0].stamp;
            many.back().user = changes[0].user;
        }
    const auto manyShared = sync::encodePullText(many, 6, false, 1, {}, 0, sync::PullForm::SharedStamps).size();
    const auto manyCompact = sync::encodePullText(many, 6, false, 1, {}, 0, sync::PullForm::Compact).size();
    CHECK(manyShared > manyCompact + many.size() * 10); // over ten bytes less per change

    // Compact: within a record the pairs come first, so compare by field;
    // records stay in order.
    auto decoded = sync::decodePullText(compact).changes;
    REQUIRE(decoded.size() == changes.size());
    CHECK(decoded[3].id == a);
    CHECK(decoded[4].id == b);
    const auto byRecordAndField = [](const sync::WireChange& x, const sync::WireChange& y) {
        return std::tie(x.id, x.field) < std::tie(y.id, y.field);
    };
    std::sort(decoded.begin(), decoded.end(), byRecordAndField);
    std::sort(changes.begin(), changes.end(), byRecordAndField);
    for (std::size_t i = 0; i < changes.size(); ++i)
    {
        sameChange(decoded[i], changes[i]);
        // Pairs carry no sequence number; the full rows still do.
        CHECK(decoded[i].seq == (changes[i].field == "email" || changes[i].id == b ? changes[i].seq : 0));
    }
}

TEST_CASE("Protocol: a malformed pull answer is refused with what is wrong", "[sync][protocol]")
{
    const std::string tables = R"("devices":["d"],"users":["u"],"cursor":1,"more":false})";
    const auto answer = [&](const std::string& record) { return "{\"records\":[" + record + "]," + tables; };

    CHECK(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275","5",0,0]]})")).empty());
    const std::string row = "each change must be [seq, field, value, hlc, device, user]";
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275","5",0]]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275","5",0,0,0]]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik",3275,"5",0,0]]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,null,"3275","5",0,0]]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[["1","nik","3275","5",0,0]]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275","5x",0,0]]})")),
               Catch::Contains("hlc must be a decimal string"));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275","-5",0,0]]})")),
               Catch::Contains("hlc must be a decimal string"));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275",5,0,0]]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275","5",1,0]]})")),
               Catch::Contains("a device or user index is outside its table"));
    CHECK_THAT(refusal(answer(R"({"c":[[1,"nik","3275","5",0,0]],"k":"application","i":"a"})")),
               Catch::Contains("each record must have \"k\" and \"i\" before its changes"));
    CHECK(refusal(answer(R"({"k":"application","i":"a","s":["5",0,0],"c":[[1,"nik","3275"]]})")).empty());
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[[1,"nik","3275"]]})")),
               Catch::Contains("a change without its stamp needs the record's \"s\" before it"));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","s":["5",0],"c":[[1,"nik","3275"]]})")),
               Catch::Contains("a record's \"s\" must be [hlc, device, user]"));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","s":[5,0,0],"c":[[1,"nik","3275"]]})")),
               Catch::Contains("a record's \"s\" must be [hlc, device, user]"));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","s":["5",0,3],"c":[[1,"nik","3275"]]})")),
               Catch::Contains("a device or user index is outside its table"));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","s":["5",0,0],"c":[[1,"nik","3275","6"]]})")),
               Catch::Contains(row));
    CHECK_THAT(refusal(R"({"records":[],"devices":[],"users":[],"more":false})"), Catch::Contains("cursor is missing"));

    // The compact form: field indexes into "fields", pairs in "v".
    const auto compact = [&](const std::string& record) {
        return "{\"records\":[" + record + "],\"fields\":[\"nik\",\"phone\"]," + tables;
    };
    const std::string pair = "a record's \"v\" must be pairs of a field index and a value";
    CHECK(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":[0,"3275",1,null]})")).empty());
    CHECK(refusal(compact(R"({"k":"application","i":"a","c":[[1,1,"0812","5",0,0]]})")).empty());
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","v":[0,"3275"]})")),
               Catch::Contains("a record's \"v\" needs its \"s\" before it"));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":[0]})")), Catch::Contains(pair));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":[0,"3275",1]})")), Catch::Contains(pair));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":["nik","3275"]})")), Catch::Contains(pair));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":[0,3275]})")), Catch::Contains(pair));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":[0,true]})")), Catch::Contains(pair));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":[2,"3275"]})")),
               Catch::Contains("a field index is outside the fields table"));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","c":[[1,-1,"0812","5",0,0]]})")),
               Catch::Contains("a field index is outside the fields table"));
    CHECK_THAT(refusal(compact(R"({"k":"application","i":"a","s":["5",0,0],"v":[[0,"3275"]]})")),
               Catch::Contains("only a record's \"c\" holds changes as arrays"));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","s":["5",0,0],"v":[0,"3275"]})")),
               Catch::Contains("a field index is outside the fields table"));
    CHECK_THAT(refusal(R"({"records":[)"), Catch::Contains("not valid JSON"));
}

TEST_CASE("Protocol: a pull answer with cells outside their arrays is refused", "[sync][protocol][regression]")
{
    // Found by berkas-fuzz-pull (tests/fuzz/crashes/pull/): a change given
    // as an object wrote its number into a change that did not exist (a
    // heap overflow), and pairs in "v" with no "k" and "i" decoded to a
    // change that no form could encode again.
    const std::string tables = R"("devices":["d"],"users":["u"],"fields":["nik"],"cursor":1})";
    const auto answer = [&](const std::string& record) { return "{\"records\":[" + record + "]," + tables; };
    const std::string row = "each change must be [seq, field, value, hlc, device, user]";
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[{"x":1}]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","c":[{"x":"y"}]})")), Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","s":{"h":"5","d":0,"u":0},"c":[[1,"nik","3"]]})")),
               Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"k":"application","i":"a","s":["5",0,0],"v":{"f":0,"v":"3"}})")),
               Catch::Contains(row));
    CHECK_THAT(refusal(answer(R"({"s":["5",0,0],"v":[0,"3"]})")),
               Catch::Contains("each record must have \"k\" and \"i\" before its changes"));
    CHECK_THAT(refusal(R"({"":[{"s":["1",0,0],"v":[0,""]}],"devices":[""],"users":[""],"fields":[""],"cursor":0})"),
               Catch::Contains("each record must have \"k\" and \"i\" before its changes"));
}

TEST_CASE("Protocol: a push body with an integer past 2^63 is invalid data", "[sync][protocol][regression]")
{
    // Poco reads such a number as unsigned and throws its RangeException on
    // the conversion to int64; decodePush promises Error(InvalidData).
    const std::string body = R"({"protocol":1,"schema":1,"device_id":"d","cursor":18446744073709551615,"records":[]})";
    CHECK_THROWS_AS(sync::decodePush(sync::parseObject(body)), Error);
    const std::string seq = R"({"protocol":1,"schema":1,"device_id":"d","records":[{"k":"note","i":"x",)"
                            R"("c":[[18446744073709551615,"body","a","1","0",-1]]}]})";
    CHECK_THROWS_AS(sync::decodePush(sync::parseObject(seq)), Error);
}
