#include "desktop/Commands.h"

#include "desktop/CommandLine.h"
#include "desktop/Session.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/ExcelExport.h"

#include <ostream>

namespace berkas::desktop {

namespace {

model::Date dateOption(const std::string& name, const std::string& value)
{
    if (const auto d = model::Date::parse(value))
        return *d;
    throw Error(ErrorCode::InvalidData, name + ": must be a date YYYY-MM-DD, got \"" + value + "\"");
}

} // namespace

int runExportCommand(Invocation& inv)
{
    if (!inv.args.empty())
        throw UsageError("unexpected argument \"" + inv.args[0] + "\"");
    const auto xlsx = inv.options.find("xlsx");
    if (xlsx == inv.options.end() || xlsx->second.empty())
        throw UsageError("missing --xlsx=FILE");

    model::ExportOptions options;
    options.path = xlsx->second;
    options.language = inv.options.count("lang") ? inv.options["lang"] : "id";

    // Check everything that needs no store first, so a bad command line never
    // creates a data folder.
    const bool hasFrom = inv.options.count("from") != 0;
    const bool hasTo = inv.options.count("to") != 0;
    if (hasFrom)
        options.period.from = dateOption("from", inv.options["from"]);
    if (hasTo)
        options.period.to = dateOption("to", inv.options["to"]);
    if (hasFrom && hasTo)
        model::checkPeriod(options.period);

    model::CaseStore store(Session::forCommand(inv)->storeOptions());

    // Default period: this month in the office zone, up to today; --from alone
    // runs to today, --to alone starts on the first of its month.
    const model::Date today = store.today();
    if (!hasTo)
        options.period.to = hasFrom && today < options.period.from ? options.period.from : today;
    if (!hasFrom)
        options.period.from = model::Date(options.period.to.year(), options.period.to.month(), 1);
    options.officeName = store.setting("office_name", "DPMPTSP");
    options.exportedAt = store.nowIso();

    const model::ExportResult result = model::exportExcel(store, options);
    const model::ApplicationCounts& c = result.summary.total;
    *inv.out << result.path << "\n"
             << options.period.from.toString() << " to " << options.period.to.toString() << ": " << c.received
             << " received, " << c.finished << " finished (" << c.onTime << " on time, " << c.late << " late), "
             << c.open << " open (" << c.overdue << " overdue), " << result.summary.complaintTotal.received
             << " complaints, " << result.applicationRows << " application rows, " << result.complaintRows
             << " complaint rows\n";
    return kExitOk;
}

} // namespace berkas::desktop
