#pragma once

#include "sync/server/SyncServer.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace berkas::sync {

class RequestLimits;

/// A handler of one request to the /v1/ API (sync/PROTOCOL.md): enrolment
/// and login, push, pull, replay, escrow, health; each answer JSON (gzip when
/// asked), each failure the error body of "Errors". @p limits are shared by
/// every handler of one server.
Poco::Net::HTTPRequestHandler* newApiHandler(ServerStore& store, const SyncServerOptions& options,
                                             const std::string& secret, RequestLimits& limits);

} // namespace berkas::sync
