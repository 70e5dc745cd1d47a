#pragma once

#include <map>
#include <string>
#include <vector>

namespace berkas::model {

/// The folder of Berkas' data files (reference data, translations): the
/// BERKAS_ASSETS environment variable when set; else, for an installed
/// binary, installedAssetsDir() of the running executable; else the source
/// tree's assets/ folder compiled in (a binary in the build tree).
std::string assetsDir();

/// The data folder of an executable installed as PREFIX/bin/NAME:
/// PREFIX/share/NAME (Debian's /usr/share/<package>), when that folder holds
/// reference/. Empty for any other executable, e.g. one in the build tree.
/// Relative to the executable, so an unpacked package tree works wherever it is.
std::string installedAssetsDir(const std::string& executablePath);

/// The services of the shipped catalog as every laptop seeds them, by id:
/// each service's fields (code, name, agency, sla_days,
/// needs_field_verification, requirements, exempt_from_suspension, the
/// suspension of reference/suspensions.csv, created_at), all with the zero
/// stamp. The central office answers with these values for a seeded service
/// it does not hold. Read once; thread-safe; empty when the files are missing.
const std::map<std::string, std::map<std::string, std::string>>& referenceServices();

/// The services of the shipped catalog (reference/services.csv), by code,
/// each with the id every laptop seeds it under (the same everywhere, so the
/// seed is one record on every replica, though the central office holds it
/// only once someone edits it). Read once; thread-safe; empty when the file
/// is missing.
const std::map<std::string, std::string>& referenceServiceIds();

/// A checklist item an instrument (a circular, a regent's policy) requires
/// of every application in its region while it holds, such as proof of
/// vaccination (reference/requirements-dated.csv).
struct DatedRequirement
{
    std::string region;     ///< Kemendagri code: a province, regency or kecamatan ("32.75")
    std::string instrument; ///< "Surat Edaran Wali Kota Bekasi"
    std::string number;     ///< the instrument's number, may be empty
    std::string from;       ///< YYYY-MM-DD, first day it holds
    std::string to;         ///< YYYY-MM-DD, last day it holds; empty: until lifted
    std::string requirement;

    /// Whether it holds on @p day (YYYY-MM-DD) for an application in
    /// kecamatan @p kecamatan (the region itself or a code under it).
    bool holds(const std::string& day, const std::string& kecamatan) const;
    /// The checklist item: the requirement and the instrument that asks it.
    std::string item() const;
};

/// The dated requirements of reference/requirements-dated.csv. Read once;
/// thread-safe; empty when the file is missing.
const std::vector<DatedRequirement>& referenceDatedRequirements();

/// The items a verifier checks on a site visit for service @p serviceCode
/// (reference/findings-checklist.csv), in file order; empty for a service
/// without a list. Read once; thread-safe; empty when the file is missing.
std::vector<std::string> referenceFindingsChecklist(const std::string& serviceCode);

/// One item of a visit's checklist and whether the verifier found it met.
struct FindingsItem
{
    std::string item;
    bool met = false;
};

/// A task's `findings` text as the task form and the inspection report read
/// it: checklist lines first ("[x] item" met, "[ ] item" not met), then the
/// verifier's own words after a blank line. Text without checklist lines is
/// all words, so findings typed by hand stay as they are.
struct Findings
{
    std::vector<FindingsItem> items;
    std::string notes;
};
Findings parseFindings(const std::string& text);
/// The findings text of @p findings; parseFindings(formatFindings(f)) == f
/// for items without line breaks.
std::string formatFindings(const Findings& findings);

} // namespace berkas::model
