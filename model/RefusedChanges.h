#pragma once

#include "model/CaseStore.h"
#include "model/Hlc.h"

#include <optional>
#include <string>
#include <vector>

namespace berkas::model {

/// What the central office answered for one change it refused
/// (sync/PROTOCOL.md, "Refused changes").
struct RefusedChange
{
    OutboxEntry entry;  ///< the change as this laptop made it
    std::string code;   ///< out_of_scope, invalid_value, server_only, fixed_field, ...
    std::string reason; ///< the server's sentence, in English
    /// The server holds the record and this user may read it; then the field
    /// as the server holds it follows (a zero stamp: never written there).
    bool held = false;
    std::optional<std::string> serverValue;
    Stamp serverStamp;
    std::string serverUser;
};

/// One refused-change notice, as the conflicts view and `berkas conflicts` show it.
struct RefusalNotice
{
    std::string id;
    std::string at; ///< when the refusal arrived, ISO 8601 in the office zone
    std::string recordKind;
    std::string recordId;
    std::string field;
    std::string value;       ///< what was typed here and refused
    std::string code;        ///< the server's refusal code
    std::string reason;      ///< the server's sentence
    std::string serverValue; ///< what the record shows now ("" when the record was refused whole)
    bool held = false;       ///< the record stays on this laptop (false: the server refused it whole)
    std::string status;      ///< open, dismissed, settled
    std::string resolution;
};

/// The laptop's side of a refusal: the laptop shows what the central office
/// holds again, so that it never stays out of step with every other replica,
/// and keeps what the user typed as a notice until someone settles it.
/// Works inside the caller's transaction (CaseStore::inBatch); one per thread,
/// like its store.
class RefusedChanges
{
public:
    explicit RefusedChanges(CaseStore& store);

    /// Keeps the notice (one per refused change; told twice, kept once) and
    /// puts the server's state back: the server's value and stamp for the
    /// field when the refused value still shows, with a later unpushed edit
    /// of the field rebased on that stamp; or, when the server does not hold
    /// the record for this user, the record removed from this laptop with
    /// its unpushed changes, each kept in a notice.
    void apply(const RefusedChange& refused);

    /// Notices still open, oldest first.
    std::vector<RefusalNotice> open();
    std::optional<RefusalNotice> find(const std::string& id);

    /// Settles a notice: @p keep "remote" leaves the central office's value
    /// (dismisses it); "local" writes the refused value again as a new edit,
    /// "value" writes @p value; both are ordinary changes, checked like any
    /// edit. Throws Error(NotFound) for an unknown id, Error(InvalidData) for
    /// a settled notice, a record no longer on this laptop (only "remote"
    /// then) or a value that breaks a rule; nothing is written then.
    void settle(const std::string& id, const std::string& keep, const std::string& value = "");

private:
    void keepNotice(const OutboxEntry& entry, const RefusedChange& refused);

    CaseStore& m_store;
};

} // namespace berkas::model
