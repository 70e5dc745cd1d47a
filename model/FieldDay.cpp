#include "model/FieldDay.h"

#include "model/CaseStore.h"
#include "model/Database.h"

namespace berkas::model {

std::vector<Visit> visitsUntil(Database& db, Date day, const std::string& assignee)
{
    // The service's name from the catalog, as a list shows it; a task whose
    // application has not arrived yet (a pull in progress) still shows.
    Statement s(db, "SELECT t.id, coalesce(t.scheduled_for, ''), t.status, coalesce(t.assigned_to, ''), "
                    "t.application_id, coalesce(nullif(a.reg_no, ''), a.provisional_no, ''), "
                    "coalesce(a.applicant_name, ''), coalesce(a.phone, ''), coalesce(a.address, ''), "
                    "coalesce(a.kelurahan, ''), coalesce(a.kecamatan, ''), coalesce(a.service_code, ''), "
                    "coalesce((SELECT v.name FROM service v WHERE v.code = a.service_code AND v.deleted = 0 "
                    "LIMIT 1), '') "
                    "FROM task t LEFT JOIN application a ON a.id = t.application_id "
                    "WHERE t.deleted = 0 AND coalesce(a.deleted, 0) = 0 "
                    "AND t.status IN ('assigned', 'in_progress') "
                    "AND (t.scheduled_for IS NULL OR t.scheduled_for = '' OR t.scheduled_for <= ?1) "
                    "AND (coalesce(?2, '') = '' OR t.assigned_to = ?2) "
                    "ORDER BY coalesce(nullif(t.scheduled_for, ''), '9999-99-99'), "
                    "t.status = 'in_progress' DESC, a.applicant_name, t.id");
    s.bind(1, day.toString()).bind(2, assignee);
    std::vector<Visit> out;
    while (s.step())
    {
        Visit v;
        v.taskId = s.text(0);
        v.scheduledFor = s.text(1);
        v.status = s.text(2);
        v.assignedTo = s.text(3);
        v.applicationId = s.text(4);
        v.number = s.text(5);
        v.applicantName = s.text(6);
        v.phone = s.text(7);
        v.address = s.text(8);
        v.kelurahan = s.text(9);
        v.kecamatan = s.text(10);
        v.serviceCode = s.text(11);
        v.serviceName = s.text(12);
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<Visit> visitsUntil(CaseStore& store, Date day, const std::string& assignee)
{
    return visitsUntil(store.database(), day, assignee);
}

} // namespace berkas::model
