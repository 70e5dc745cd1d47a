#pragma once

#include "model/Database.h"

namespace berkas::model {

/// The numbered schema migrations of the local store. Version N is reached by
/// applying migrations 1..N in order; PRAGMA user_version holds the number.
class Migrations
{
public:
    /// The version this build of Berkas writes.
    static int latest();

    /// The schema a laptop names on the wire (sync/PROTOCOL.md, push
    /// "schema"): the last migration that changed which replicated fields
    /// there are. A migration of indexes alone leaves it, so a laptop and a
    /// server still speak although one has it and the other not yet. Raise
    /// it with a migration that adds or changes fields.
    static int recordSchema();

    /// The record schema of a store at migration @p version.
    static int recordSchemaOf(int version);

    /// Brings @p db from its version to @p target in one transaction. Refuses,
    /// leaving the file untouched, a database whose version is newer than this
    /// build knows (Error InvalidData naming both versions). A store whose
    /// record schema rises pulls once from the start at its next sync (its
    /// cursor goes back to 0) to receive the fields it skipped.
    static void migrate(Database& db, int target = latest());
};

} // namespace berkas::model
