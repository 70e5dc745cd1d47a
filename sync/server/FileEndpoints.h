#pragma once

#include "sync/server/ServerTypes.h"
#include "sync/server/SyncServer.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace berkas::sync {

/// Answers a request under /v1/files for @p principal (sync/PROTOCOL.md,
/// "Files"): the office's limits, where an upload stands, a chunk uploaded,
/// a chunk downloaded. Only files named by an attachment record the
/// principal reads are known to them (ServerStore::readableFile); any other
/// is 404, as if it did not exist. Returns the JSON body to send, or nullptr
/// when it wrote the answer itself (a chunk's bytes). Throws HttpError.
Poco::JSON::Object::Ptr answerFileRequest(ServerStore& store, const SyncServerOptions& options,
                                          const Principal& principal, Poco::Net::HTTPServerRequest& request,
                                          Poco::Net::HTTPServerResponse& response);

} // namespace berkas::sync
