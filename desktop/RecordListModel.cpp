#include "desktop/RecordListModel.h"

#include "desktop/UiText.h"
#include "model/Regions.h"

namespace berkas::desktop {

RecordListModel::RecordListModel(model::RecordPager& pager, std::vector<ListColumn> columns)
    : wxDataViewVirtualListModel(0), m_pager(pager), m_columns(std::move(columns))
{
    Reset(static_cast<unsigned>(m_pager.count()));
}

void RecordListModel::refresh()
{
    m_pager.invalidate();
    Reset(static_cast<unsigned>(m_pager.count()));
}

std::string RecordListModel::idAt(unsigned row)
{
    return m_pager.row(row).id;
}

unsigned int RecordListModel::GetColumnCount() const
{
    return static_cast<unsigned>(m_columns.size()) + 1;
}

wxString RecordListModel::GetColumnType(unsigned int) const
{
    return "string";
}

void RecordListModel::GetValueByRow(wxVariant& variant, unsigned int row, unsigned int col) const
{
    // The pager caches pages; asking for a row is a map lookup once its page is loaded.
    const model::PagerRow& r = m_pager.row(row);
    if (col >= m_columns.size())
    {
        variant = r.id.empty() ? wxString() : syncStateShortLabel(r.sync);
        return;
    }
    const std::string& value = col < r.values.size() ? r.values[col] : std::string();
    const ListColumn& c = m_columns[col];
    switch (c.show)
    {
    case ListColumn::Show::Value: variant = valueLabel(c.field, value); break;
    case ListColumn::Show::Values: variant = valueLabels(c.field, model::listItems(value)); break;
    case ListColumn::Show::Date: variant = displayDate(value); break;
    case ListColumn::Show::Day: variant = displayDate(value.substr(0, 10)); break;
    case ListColumn::Show::Text: variant = wxs(value); break;
    case ListColumn::Show::Region:
    {
        const std::string name = model::Regions::standard().name(value);
        variant = wxs(name.empty() ? value : name);
        break;
    }
    }
}

bool RecordListModel::GetAttrByRow(unsigned int row, unsigned int col, wxDataViewItemAttr& attr) const
{
    const model::PagerRow& r = m_pager.row(row);
    bool set = false;
    if (r.overdue)
    {
        attr.SetColour(wxColour(178, 34, 34));
        attr.SetBold(true);
        set = true;
    }
    if (col >= m_columns.size() && r.sync == model::SyncState::Conflict)
    {
        attr.SetColour(wxColour(200, 90, 0));
        attr.SetBold(true);
        set = true;
    }
    else if (col >= m_columns.size() && r.sync == model::SyncState::Waiting)
    {
        attr.SetItalic(true);
        set = true;
    }
    return set;
}

} // namespace berkas::desktop
