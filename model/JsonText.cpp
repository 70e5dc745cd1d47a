#include "model/JsonText.h"

#include <Poco/JSONString.h>

#include <algorithm>

namespace berkas::model {

void appendJsonString(std::string& out, const std::string& text)
{
    // Most values need no escaping; the rest go through Poco's escaper.
    const bool plain = std::all_of(text.begin(), text.end(),
                                   [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; });
    if (plain)
    {
        out += '"';
        out += text;
        out += '"';
    }
    else
        out += Poco::toJSON(text, Poco::JSON_WRAP_STRINGS);
}

} // namespace berkas::model
