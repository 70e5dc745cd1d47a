# The one SQLite of every Berkas process: SQLite3 Multiple Ciphers (sqlite3mc
# 2.4.0 on SQLite 3.53.4), an SQLite amalgamation with page encryption, fetched
# and checked by installer/fetch-sqlite3mc.sh into a cache outside the source
# tree, built here once as a static library.
#
# Executables link it through berkas_model. Where a process also loads Poco's
# SQLite connector (the server, the test executables), the connector's calls
# bind to these same functions: the executable defines and exports them, and
# the dynamic linker looks in the executable first. tests/sync/SqliteTest.cpp
# asks both paths which SQLite answers.
#
# Options, besides SQLite's defaults:
# - AEGIS-256 as the cipher scheme of new databases: an authenticated cipher
#   built on the AES round function, which sqlite3mc runs on the processor's
#   AES instructions (AES-NI, ARM crypto) when it has them, a tag per page.
#   Release 0.1.0 used SQLCipher 4's scheme (AES-256-CBC and HMAC-SHA512 per
#   page), which standard SQLCipher tools open, but measured 1.56x the plain
#   store's time on store-insert and 1.46x on search p95 (crypto-at-rest);
#   such files are re-encrypted with AEGIS at their next unlock
#   (model/AtRest.h). Given the key, any sqlite3mc build
#   opens a file.
# - Temporary files (large sorts, index builds) kept in memory: the cipher
#   covers the database and its WAL, not SQLite's temporary files.
# - FTS5 (search), JSON, the column metadata, unlock notification and shared
#   cache Poco's connector calls; as many bound variables as Debian allows
#   (the server's IN lists).
# - Secure delete and no extension loading.
if(DEFINED ENV{BERKAS_DEPS_CACHE})
    set(_cache "$ENV{BERKAS_DEPS_CACHE}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
    set(_cache "$ENV{XDG_CACHE_HOME}/berkas")
else()
    set(_cache "$ENV{HOME}/.cache/berkas")
endif()
set(BERKAS_SQLITE3MC_DIR "${_cache}/sqlite3mc-13.0.3" CACHE PATH
    "Folder holding the sqlite3mc amalgamation (sqlite3.c, sqlite3.h) unpacked by installer/fetch-sqlite3mc.sh")
if(NOT EXISTS "${BERKAS_SQLITE3MC_DIR}/sqlite3.c" OR NOT EXISTS "${BERKAS_SQLITE3MC_DIR}/.verified")
    message(FATAL_ERROR "sqlite3mc: no checked amalgamation in ${BERKAS_SQLITE3MC_DIR}; "
                        "run installer/install-deps.sh (make build does), or set BERKAS_SQLITE3MC_DIR")
endif()

add_library(berkas_sqlite3mc STATIC "${BERKAS_SQLITE3MC_DIR}/sqlite3.c")
add_library(berkas::sqlite ALIAS berkas_sqlite3mc)
target_include_directories(berkas_sqlite3mc SYSTEM BEFORE PUBLIC "${BERKAS_SQLITE3MC_DIR}")
target_compile_definitions(berkas_sqlite3mc PRIVATE
    CODEC_TYPE=CODEC_TYPE_AEGIS
    SQLITE_THREADSAFE=1
    SQLITE_TEMP_STORE=2
    SQLITE_SECURE_DELETE
    SQLITE_OMIT_LOAD_EXTENSION
    SQLITE_USE_URI=1
    SQLITE_MAX_VARIABLE_NUMBER=250000
    SQLITE_LIKE_DOESNT_MATCH_BLOBS
    SQLITE_ENABLE_FTS3
    SQLITE_ENABLE_FTS3_PARENTHESIS
    SQLITE_ENABLE_FTS4
    SQLITE_ENABLE_FTS5
    SQLITE_ENABLE_RTREE
    SQLITE_ENABLE_COLUMN_METADATA
    SQLITE_ENABLE_DBSTAT_VTAB
    SQLITE_ENABLE_MATH_FUNCTIONS
    SQLITE_ENABLE_UNLOCK_NOTIFY
    SQLITE_ENABLE_UPDATE_DELETE_LIMIT)
# Third-party C: its own optimisation, none of our warnings or sanitizers.
target_compile_options(berkas_sqlite3mc PRIVATE -O2 -w)
set_target_properties(berkas_sqlite3mc PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET default)
target_link_libraries(berkas_sqlite3mc PUBLIC Threads::Threads m)
