#pragma once

#include "model/Record.h"
#include "model/Schema.h"
#include "model/WriteRules.h"

#include <string>
#include <vector>

namespace berkas::model {

/// Reads a CSV file of new records of one kind (a header row of field
/// names, then one record a row) and checks every row by the write rules
/// before anything is written, so that an import writes every row or none.
class CsvImport
{
public:
    explicit CsvImport(WriteRules& rules) : m_rules(rules) {}

    /// The fields to create each row with, in file order, as the write rules
    /// leave them for @p user. Throws Error(InvalidData) for a kind that
    /// cannot be imported, an empty file, an unknown column ("line 1: colour:
    /// unknown field of application", the first of them and how many more),
    /// and otherwise every problem of every row, one a line, as "line N:
    /// field: rule"; Error(Storage) when the file cannot be read.
    std::vector<FieldMap> read(const KindDef& kind, const std::string& path, const std::string& user);

private:
    WriteRules& m_rules;
};

} // namespace berkas::model
