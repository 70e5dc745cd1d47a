#pragma once

#include "sync/server/ServerStore.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Random.h>

#include <string>

namespace berkas::test {

/// A database of its own on the PostgreSQL that BERKAS_TEST_POSTGRES names
/// (a role allowed to create databases; .ci/run starts the server and sets
/// it), dropped at the end.
struct ScratchDatabase
{
    std::string adminUrl;
    std::string name;
    std::string url;

    explicit ScratchDatabase(std::string admin) : adminUrl(std::move(admin))
    {
        Poco::Random random;
        random.seed();
        name = "berkas_test_" + std::to_string(random.next());
        run("CREATE DATABASE " + name);
        url = adminUrl.substr(0, adminUrl.rfind('/') + 1) + name;
    }
    ~ScratchDatabase()
    {
        try
        {
            run("DROP DATABASE IF EXISTS " + name);
        }
        catch (...)
        {
        }
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    void run(const std::string& sql)
    {
        using namespace Poco::Data::Keywords;
        Poco::Data::PostgreSQL::Connector::registerConnector();
        const auto options = sync::ServerStore::optionsFor(adminUrl, "");
        Poco::Data::Session session("PostgreSQL", options.connection);
        session << sql, now;
    }
};

} // namespace berkas::test
