#pragma once

#include "model/PhotoExif.h"
#include "model/Sha256.h"

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

namespace berkas::model {

class CaseStore;

/// Files are stored, read, sent and fetched in chunks of this many plaintext
/// bytes (1 MiB), so that no step holds a whole file in memory. On an
/// encrypted laptop a stored file is one sealBytes() block per chunk,
/// concatenated (each chunk + 32 bytes); a file of one chunk is exactly the
/// single-block form that earlier versions wrote for every file, which is
/// still read. Blocks carry no index: the order is checked by the file's
/// SHA-256, which every reader of a whole file verifies.
constexpr std::size_t kFileChunk = 1024 * 1024;

/// The lowercase hex SHA-256 of a file's bytes. Throws Error(Storage) when it
/// cannot be read.
std::string sha256OfFile(const std::string& path);

/// Where the bytes of an attachment live: DATA/attachments/ab/abcdef... (by
/// SHA-256, so the same file attached twice is stored once).
std::string attachmentPath(const std::string& dataDir, const std::string& sha256);

/// True when the bytes of @p sha256 are complete in the data folder.
bool hasAttachmentFile(const std::string& dataDir, const std::string& sha256);

/// The data folder of a store (the folder of its database file).
std::string dataDirOf(CaseStore& store);

/// The type of a file by its first bytes (JPEG, PNG, GIF, WebP, HEIC, PDF),
/// else by its extension; "application/octet-stream" when neither tells.
std::string sniffMime(const std::string& path);

/// True for the types a photo may have: image/jpeg, image/png, image/gif,
/// image/webp, image/heic.
bool isImageMime(const std::string& mime);

/// True when @p path's extension names an image type (photo.jpg): the
/// command line and the window then require its bytes to be one.
bool nameClaimsImage(const std::string& path);

/// The office's rules for a new attachment.
struct AttachOptions
{
    /// The office's limit for one file in bytes (the server's
    /// --max-file-size, learned at sync); 0: none.
    std::int64_t maxFileSize = 0;
    /// Refuse a file whose bytes are not an image (a photo of a visit).
    bool requireImage = false;
};

/// What attaching a file made.
struct AttachResult
{
    std::string id;   ///< the attachment record
    std::string mime; ///< by the file's bytes
    /// From the photo's EXIF data: taken_at, latitude and longitude are
    /// stored on the record when present and valid; exif.broken and
    /// exif.outsideIndonesia say why a location was not kept.
    PhotoExif exif;
};

/// Copies @p filePath into the data folder by its SHA-256 (streamed, chunk
/// by chunk; encrypted with the store's data key when it has one) and creates
/// an attachment record under @p parentId: name, mime (by the bytes), size,
/// sha256 and, from EXIF, taken_at, latitude, longitude. Refuses, writing
/// nothing, with Error(InvalidData) naming the file and the rule: a file over
/// options.maxFileSize ("photo.jpg: 300.0 MB is over the office's limit of
/// 256.0 MB for one file"), a file that is not an image where one is
/// required (options.requireImage), an empty file.
/// Error(Storage) when the file cannot be read or copied.
AttachResult attachFile(CaseStore& store, const std::string& parentId, const std::string& filePath,
                        const AttachOptions& options = {});

/// attachFile() with no limits; returns the attachment's id.
std::string addAttachment(CaseStore& store, const std::string& parentId, const std::string& filePath);

/// The plaintext bytes of the stored attachment @p sha256, whole in memory
/// (for small files: thumbnails, tests); decrypted with the store's data key
/// when the file is encrypted. Throws Error(NotFound) when missing,
/// Error(Storage) when encrypted and the store has no key or the file does
/// not authenticate.
std::string readAttachment(CaseStore& store, const std::string& sha256);

/// Writes the plaintext of attachment record @p attachmentId to @p toPath,
/// streamed, checked against its SHA-256 and renamed into place only when
/// whole. Error(NotFound) when the record is unknown or its file has not
/// arrived on this laptop yet; Error(Storage) when it cannot be written or
/// does not match its hash (nothing is left at @p toPath then).
void extractAttachment(CaseStore& store, const std::string& attachmentId, const std::string& toPath);

/// Reads a stored attachment's plaintext by offset, whatever its stored
/// form, holding at most two chunks. Not thread-safe; one per thread.
class AttachmentReader
{
public:
    /// Throws Error(NotFound) when the file is not complete here.
    AttachmentReader(const std::string& dataDir, const std::string& dataKey, const std::string& sha256);
    /// The same over a stored file named by its path (a part file).
    AttachmentReader(const std::string& storedPath, const std::string& dataKey);

    /// Up to @p length plaintext bytes from @p offset (fewer at the end).
    /// Throws Error(Storage) when a block does not authenticate.
    std::string read(std::int64_t offset, std::size_t length);
    /// The same into @p out, whose memory is reused (a transfer reads every
    /// chunk into one buffer: fresh memory costs a page fault per 4 KiB).
    void read(std::int64_t offset, std::size_t length, std::string& out);

    /// The plaintext size (for encrypted files, from the block count).
    std::int64_t size() const { return m_size; }

private:
    const std::string& chunk(std::int64_t index);

    std::string m_dataKey;
    std::ifstream m_in;
    std::int64_t m_stored = 0;
    std::int64_t m_size = 0;
    bool m_sealed = false;
    std::string m_legacy; ///< a large file sealed whole by an earlier version
    bool m_isLegacy = false;
    std::int64_t m_cachedIndex = -1;
    std::string m_cached;
};

/// Builds the stored file of @p sha256 from plaintext chunks arriving in
/// order (an attach, a download), in DATA/attachments/ab/SHA.part, in the
/// stored form (sealed when @p dataKey is set). The part file survives a
/// restart: received() says where to go on, a torn last chunk is cut off.
/// finish() checks the whole SHA-256 and renames the file into place.
class AttachmentWriter
{
public:
    AttachmentWriter(const std::string& dataDir, const std::string& dataKey, const std::string& sha256);

    /// Plaintext bytes already in the part file (whole chunks).
    std::int64_t received() const { return m_received; }

    /// Appends one chunk: kFileChunk bytes, or fewer for the last one.
    void append(const std::string& plain);

    /// Verifies the plaintext appended (and, after a restart, what the part
    /// file held, read back once when the writer opened) against the
    /// SHA-256 and moves the file into place. On a mismatch the part file
    /// is removed and Error(InvalidData) thrown, so the next try starts over.
    void finish();

    /// Removes the part file.
    void discard();

private:
    std::string m_dataKey;
    std::string m_sha256;
    std::string m_target;
    std::string m_part;
    std::int64_t m_received = 0;
    std::string m_dataDir;
    std::unique_ptr<Sha256> m_hash; ///< of the plaintext in the part file so far
};

} // namespace berkas::model
