#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>

namespace berkas::bench {

/// `attachment-sync`: @p megabytes MB of photos (files of 5 MB) attached on
/// one laptop, sent to a real berkas-server on 127.0.0.1 (in process) and
/// fetched by a second laptop, through the chunked, hash-checked transfer
/// of sync/PROTOCOL.md "Files"; MB/s each way next to a plain HTTP transfer
/// of the same bytes in the same run (one streamed PUT and one streamed GET
/// over loopback to a bare Poco HTTPServer with the berkas-server's thread
/// settings, writing to and reading from the same disk), their ratios
/// (target at least 0.7), and the process's peak memory during the
/// transfers. The stores are encrypted unless --plain.
Poco::JSON::Object::Ptr benchAttachmentSync(std::int64_t megabytes);

} // namespace berkas::bench
