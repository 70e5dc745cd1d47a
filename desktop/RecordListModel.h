#pragma once

#include "model/RecordPager.h"

#include <wx/dataview.h>

#include <string>
#include <vector>

namespace berkas::desktop {

/// How one list column shows a field.
struct ListColumn
{
    std::string field;
    int width = 120;
    enum class Show
    {
        Text,
        Value,  ///< an allowed value, translated
        Values, ///< a List field of allowed values, each translated
        Date,  ///< dd/mm/yyyy (with hh:mm for a timestamp)
        Day,   ///< dd/mm/yyyy only, also for a timestamp (narrow columns)
        Region ///< a kecamatan/kelurahan code shown by name
    } show = Show::Text;
};

/// Adapts a RecordPager to a wxDataViewCtrl: rows are asked for as they are
/// painted, a page at a time. The last column is the sync state. Overdue rows
/// are shown in red and bold.
class RecordListModel : public wxDataViewVirtualListModel
{
public:
    RecordListModel(model::RecordPager& pager, std::vector<ListColumn> columns);

    /// Re-counts the rows after the pager's query changed or data was written.
    void refresh();

    /// The id of the record in @p row, or "".
    std::string idAt(unsigned row);

    unsigned int GetColumnCount() const override;
    wxString GetColumnType(unsigned int col) const override;
    void GetValueByRow(wxVariant& variant, unsigned int row, unsigned int col) const override;
    bool GetAttrByRow(unsigned int row, unsigned int col, wxDataViewItemAttr& attr) const override;
    bool SetValueByRow(const wxVariant&, unsigned int, unsigned int) override { return false; }

private:
    model::RecordPager& m_pager;
    std::vector<ListColumn> m_columns;
};

} // namespace berkas::desktop
