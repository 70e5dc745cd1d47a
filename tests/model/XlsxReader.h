#pragma once

// Reads an .xlsx back the way Excel would see it (Poco::Zip and Poco::XML),
// for the model's Excel tests and the window's export test. Link Poco::Zip and
// Poco::XML.

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace berkas::test {

/// One cell as stored in the sheet XML.
struct Cell
{
    std::string type;  ///< the t attribute: "" (a number), "s", "inlineStr", "str", ...
    int style = 0;     ///< the s attribute
    std::string value; ///< the <v> text, or the string itself for strings
    bool isNumber() const { return type.empty() || type == "n"; }
};

/// Reads an .xlsx back with Poco::Zip and Poco::XML, the way Excel would see it.
class Workbook
{
public:
    explicit Workbook(const std::string& path)
    {
        std::ifstream in(path, std::ios::binary);
        REQUIRE(in.good());
        Poco::Zip::ZipArchive archive(in);
        for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it)
        {
            in.clear();
            Poco::Zip::ZipInputStream zip(in, it->second);
            m_parts[it->first] = std::string(std::istreambuf_iterator<char>(zip), {});
        }
        readSharedStrings();
        readStyles();
        Poco::AutoPtr<Poco::XML::Document> doc = parse("xl/workbook.xml");
        Poco::AutoPtr<Poco::XML::NodeList> sheets = doc->getElementsByTagName("sheet");
        for (unsigned long i = 0; i < sheets->length(); ++i)
        {
            const auto* e = static_cast<Poco::XML::Element*>(sheets->item(i));
            m_sheetNames.push_back(e->getAttribute("name"));
        }
    }

    const std::vector<std::string>& sheetNames() const { return m_sheetNames; }
    bool has(const std::string& part) const { return m_parts.count(part) != 0; }
    const std::string& part(const std::string& name) const { return m_parts.at(name); }

    /// Cells of the sheet named @p name by reference ("A1").
    std::map<std::string, Cell> cells(const std::string& name)
    {
        const auto pos = std::find(m_sheetNames.begin(), m_sheetNames.end(), name);
        REQUIRE(pos != m_sheetNames.end());
        const std::string file =
            "xl/worksheets/sheet" + std::to_string(pos - m_sheetNames.begin() + 1) + ".xml";
        std::map<std::string, Cell> out;
        Poco::AutoPtr<Poco::XML::Document> doc = parse(file);
        Poco::AutoPtr<Poco::XML::NodeList> cs = doc->getElementsByTagName("c");
        for (unsigned long i = 0; i < cs->length(); ++i)
        {
            const auto* e = static_cast<Poco::XML::Element*>(cs->item(i));
            Cell c;
            c.type = e->getAttribute("t");
            c.style = e->getAttribute("s").empty() ? 0 : std::stoi(e->getAttribute("s"));
            if (c.type == "inlineStr")
                c.value = e->innerText();
            else if (const auto* v = e->getChildElement("v"))
                c.value = v->innerText();
            if (c.type == "s")
                c.value = m_shared.at(std::stoul(c.value));
            out[e->getAttribute("r")] = c;
        }
        return out;
    }

    std::string sheetXml(const std::string& name) const
    {
        const auto pos = std::find(m_sheetNames.begin(), m_sheetNames.end(), name);
        return m_parts.at("xl/worksheets/sheet" + std::to_string(pos - m_sheetNames.begin() + 1) + ".xml");
    }

    /// Whether cell style @p s shows a date (its number format has y, m and d).
    bool isDateStyle(int s) const
    {
        if (s < 0 || static_cast<std::size_t>(s) >= m_xfFormats.size())
            return false;
        const int id = m_xfFormats[static_cast<std::size_t>(s)];
        if (id >= 14 && id <= 22)
            return true;
        const auto it = m_numFmts.find(id);
        return it != m_numFmts.end() && it->second.find("yy") != std::string::npos &&
               it->second.find('d') != std::string::npos;
    }

private:
    Poco::AutoPtr<Poco::XML::Document> parse(const std::string& name) const
    {
        Poco::XML::DOMParser parser;
        return parser.parseString(m_parts.at(name));
    }

    void readSharedStrings()
    {
        if (!has("xl/sharedStrings.xml"))
            return;
        Poco::AutoPtr<Poco::XML::Document> doc = parse("xl/sharedStrings.xml");
        Poco::AutoPtr<Poco::XML::NodeList> items = doc->getElementsByTagName("si");
        for (unsigned long i = 0; i < items->length(); ++i)
            m_shared.push_back(items->item(i)->innerText());
    }

    void readStyles()
    {
        Poco::AutoPtr<Poco::XML::Document> doc = parse("xl/styles.xml");
        Poco::AutoPtr<Poco::XML::NodeList> fmts = doc->getElementsByTagName("numFmt");
        for (unsigned long i = 0; i < fmts->length(); ++i)
        {
            const auto* e = static_cast<Poco::XML::Element*>(fmts->item(i));
            m_numFmts[std::stoi(e->getAttribute("numFmtId"))] = e->getAttribute("formatCode");
        }
        Poco::AutoPtr<Poco::XML::NodeList> xfsList = doc->getElementsByTagName("cellXfs");
        REQUIRE(xfsList->length() == 1);
        const auto* xfs = static_cast<Poco::XML::Element*>(xfsList->item(0));
        for (auto* n = xfs->firstChild(); n; n = n->nextSibling())
            if (const auto* e = dynamic_cast<const Poco::XML::Element*>(n))
                m_xfFormats.push_back(std::stoi(e->getAttribute("numFmtId")));
    }

    std::map<std::string, std::string> m_parts;
    std::vector<std::string> m_sheetNames;
    std::vector<std::string> m_shared;
    std::map<int, std::string> m_numFmts;
    std::vector<int> m_xfFormats;
};

} // namespace berkas::test
