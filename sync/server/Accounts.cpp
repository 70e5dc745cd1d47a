#include "sync/server/Accounts.h"

#include "model/Error.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/DigestEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/Tuple.h>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

Accounts::Accounts(ServerDatabase& db) : m_db(db) {}

void Accounts::addUser(const UserAccount& account)
{
    auto& s = m_db.session();
    std::vector<std::string> existing;
    std::string name = account.name;
    s << m_db.q("SELECT name FROM users WHERE name = ?"), use(name), into(existing), now;
    if (!existing.empty())
        throw Error(ErrorCode::Conflict, "user: " + account.name + " already exists");
    std::string role = account.role;
    std::string kecamatan = account.kecamatan;
    std::string hash = account.passwordHash;
    std::string created = m_db.isoTime(m_db.options().clockMs());
    s << m_db.q("INSERT INTO users (name, role, kecamatan, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)"),
        use(name), use(role), use(kecamatan), use(hash), use(created), now;
}

std::optional<UserAccount> Accounts::user(const std::string& name)
{
    auto& s = m_db.session();
    std::vector<Poco::Tuple<std::string, std::string, std::string, std::string, int, std::string>> rows;
    std::string n = name;
    s << m_db.q("SELECT name, role, COALESCE(kecamatan, ''), password_hash, disabled, created_at FROM users WHERE name = ?"),
        use(n), into(rows), now;
    if (rows.empty())
        return std::nullopt;
    const auto& r = rows.front();
    return UserAccount{r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>() != 0, r.get<5>()};
}

std::vector<UserAccount> Accounts::users()
{
    auto& s = m_db.session();
    std::vector<Poco::Tuple<std::string, std::string, std::string, int, std::string>> rows;
    s << m_db.q("SELECT name, role, COALESCE(kecamatan, ''), disabled, created_at FROM users ORDER BY name"), into(rows), now;
    std::vector<UserAccount> out;
    for (const auto& r : rows)
        out.push_back({r.get<0>(), r.get<1>(), r.get<2>(), "", r.get<3>() != 0, r.get<4>()});
    return out;
}

void Accounts::setUserDisabled(const std::string& name, bool disabled)
{
    auto& s = m_db.session();
    std::string n = name;
    int d = disabled ? 1 : 0;
    Poco::Data::Statement st(s);
    st << m_db.q("UPDATE users SET disabled = ? WHERE name = ?"), use(d), use(n);
    if (st.execute() == 0)
        throw Error(ErrorCode::NotFound, "user: no user named " + name);
}

void Accounts::enrollDevice(const std::string& deviceId, const std::string& userName)
{
    auto& s = m_db.session();
    std::vector<std::string> owners;
    std::string id = deviceId;
    s << m_db.q("SELECT user_name FROM devices WHERE id = ?"), use(id), into(owners), now;
    std::string u = userName;
    if (owners.empty())
    {
        std::string at = m_db.isoTime(m_db.options().clockMs());
        s << m_db.q("INSERT INTO devices (id, user_name, enrolled_at) VALUES (?, ?, ?)"), use(id), use(u), use(at), now;
    }
    else if (owners.front() != userName)
    {
        // Another person enrolling on a shared laptop: the device now acts
        // for them, and what it holds is judged afresh against their scope
        // at its next pull (untracked: everything outside is listed as gone).
        Poco::Data::Transaction tx(s);
        s << m_db.q("UPDATE devices SET user_name = ?, tracked = 0 WHERE id = ?"), use(u), use(id), now;
        s << m_db.q("DELETE FROM device_records WHERE device_id = ?"), use(id), now;
        tx.commit();
    }
}

std::optional<DeviceInfo> Accounts::device(const std::string& deviceId)
{
    auto& s = m_db.session();
    std::vector<Poco::Tuple<std::string, std::string, int, std::int64_t, std::int64_t, std::string>> rows;
    std::string id = deviceId;
    s << m_db.q("SELECT id, user_name, revoked, pushed_seq, pulled_seq, enrolled_at FROM devices WHERE id = ?"), use(id),
        into(rows), now;
    if (rows.empty())
        return std::nullopt;
    const auto& r = rows.front();
    return DeviceInfo{r.get<0>(), r.get<1>(), r.get<2>() != 0, r.get<3>(), r.get<4>(), r.get<5>()};
}

std::vector<DeviceInfo> Accounts::devices()
{
    auto& s = m_db.session();
    std::vector<Poco::Tuple<std::string, std::string, int, std::int64_t, std::int64_t, std::string>> rows;
    s << m_db.q("SELECT id, user_name, revoked, pushed_seq, pulled_seq, enrolled_at FROM devices ORDER BY user_name, id"),
        into(rows), now;
    std::vector<DeviceInfo> out;
    for (const auto& r : rows)
        out.push_back({r.get<0>(), r.get<1>(), r.get<2>() != 0, r.get<3>(), r.get<4>(), r.get<5>()});
    return out;
}

void Accounts::revokeDevice(const std::string& deviceId)
{
    auto& s = m_db.session();
    std::string id = deviceId;
    Poco::Data::Statement st(s);
    st << m_db.q("UPDATE devices SET revoked = 1 WHERE id = ?"), use(id);
    if (st.execute() == 0)
        throw Error(ErrorCode::NotFound, "device: no device with id " + deviceId);
}

DeviceMarks Accounts::deviceMarks(const std::string& deviceId)
{
    auto& s = m_db.session();
    std::vector<Poco::Tuple<std::int64_t, std::int64_t, std::int64_t>> rows;
    std::string id = deviceId;
    s << m_db.q("SELECT pushed_seq, pushed_hlc, provisional_seq FROM devices WHERE id = ?"), use(id), into(rows),
        now;
    if (rows.empty())
        return {};
    return {rows.front().get<0>(), rows.front().get<1>(), rows.front().get<2>()};
}

std::string Accounts::tokenSecret()
{
    auto& s = m_db.session();
    std::vector<std::string> values;
    s << m_db.q("SELECT value FROM secrets WHERE name = 'token'"), into(values), now;
    if (!values.empty())
        return values.front();
    std::string raw(32, '\0');
    Poco::RandomInputStream random;
    random.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    std::string secret = Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(raw.begin(), raw.end()));
    s << m_db.q("INSERT INTO secrets (name, value) VALUES ('token', ?)"), use(secret), now;
    return secret;
}

} // namespace berkas::sync
