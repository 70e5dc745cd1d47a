#pragma once

#include <cstdint>
#include <string>

namespace berkas::sync {

/// The central office's copy of attachment files, by SHA-256, in a folder
/// (DATA/files by default, berkas-server --file-dir): DIR/ab/abcdef... when
/// complete, DIR/parts/abcdef....part while an upload is under way. A part
/// file keeps what arrived across dropped connections and restarts; a
/// complete file never changes. Appends to parts take turns across threads
/// and across server processes sharing the folder (flock(2) on
/// DIR/parts/.lock), so several processes behind a load balancer can share
/// one file folder (on a local disk, or a network file system with working
/// flock).
/// Memory: one chunk at a time, and a streamed hash when a file completes.
class FileVault
{
public:
    explicit FileVault(std::string dir);

    /// Where an upload of one file stands.
    struct State
    {
        bool complete = false;
        std::int64_t received = 0; ///< bytes in the part file (the size when complete)
    };
    State state(const std::string& sha256) const;

    /// What became of one uploaded chunk.
    enum class Written
    {
        Accepted,       ///< appended; more to come
        Completed,      ///< the last chunk: the whole file matched its SHA-256 and is in place
        AlreadyThere,   ///< the file was complete before; nothing written
        OffsetMismatch, ///< @p offset is not where the part file ends (ask state())
        ChunkCorrupt,   ///< the chunk does not match @p chunkSha256; nothing written
        FileCorrupt,    ///< all bytes arrived but the file does not match its SHA-256; the part is gone
    };

    /// Appends @p bytes at @p offset of file @p sha256 whose whole size is
    /// @p size, when they match @p chunkSha256 (lowercase hex).
    Written write(const std::string& sha256, std::int64_t size, std::int64_t offset, const std::string& bytes,
                  const std::string& chunkSha256);

    /// Up to @p length bytes of the complete file from @p offset. Throws
    /// Error(NotFound) when the file is not complete here.
    std::string read(const std::string& sha256, std::int64_t offset, std::size_t length) const;
    /// The same into @p out, whose memory is reused.
    void read(const std::string& sha256, std::int64_t offset, std::size_t length, std::string& out) const;

    std::string completePath(const std::string& sha256) const;
    std::string partPath(const std::string& sha256) const;

    /// Lowercase hex SHA-256 of @p bytes.
    static std::string sha256Of(const std::string& bytes);
    /// True for 64 lowercase hex digits.
    static bool isSha256(const std::string& text);

private:
    std::string m_dir;
};

} // namespace berkas::sync
