#include "model/AttachmentFiles.h"

#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/KeyRing.h"
#include "model/Sha256.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/NumberFormatter.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <openssl/crypto.h>

#include <unistd.h>

#include <algorithm>
#include <map>

namespace berkas::model {

namespace {

/// A sealBytes() block adds "BKS1", a 12-byte nonce and a 16-byte tag.
constexpr std::int64_t kSealOverhead = 32;
constexpr std::int64_t kSealedChunk = static_cast<std::int64_t>(kFileChunk) + kSealOverhead;

std::string mimeByExtension(const std::string& path)
{
    static const std::map<std::string, std::string> types = {
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},   {"pdf", "application/pdf"},
        {"txt", "text/plain"}, {"csv", "text/csv"},    {"heic", "image/heic"}, {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    };
    const auto it = types.find(Poco::toLower(Poco::Path(path).getExtension()));
    return it == types.end() ? "application/octet-stream" : it->second;
}

/// "12.3 MB" (decimal megabytes, one digit), whatever the locale.
std::string megabytes(std::int64_t bytes)
{
    return Poco::NumberFormatter::format(static_cast<double>(bytes) / 1e6, 1) + " MB";
}

std::int64_t fileSize(const std::string& path)
{
    try
    {
        return static_cast<std::int64_t>(Poco::File(path).getSize());
    }
    catch (const Poco::Exception&)
    {
        return -1;
    }
}

} // namespace

std::string sha256OfFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "attachment: cannot read " + path);
    Sha256 hash;
    std::string buffer(kFileChunk, '\0');
    while (in)
    {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    return hash.hex();
}

std::string attachmentPath(const std::string& dataDir, const std::string& sha256)
{
    Poco::Path p(dataDir);
    p.makeDirectory();
    p.pushDirectory("attachments");
    p.pushDirectory(sha256.substr(0, 2));
    p.setFileName(sha256);
    return p.toString();
}

bool hasAttachmentFile(const std::string& dataDir, const std::string& sha256)
{
    return sha256.size() == 64 && fileSize(attachmentPath(dataDir, sha256)) >= 0;
}

std::string dataDirOf(CaseStore& store)
{
    return Poco::Path(store.database().path()).parent().toString();
}

std::string sniffMime(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    char head[16] = {};
    in.read(head, sizeof head);
    const std::string h(head, static_cast<std::size_t>(in.gcount()));
    const auto starts = [&](const std::string& magic, std::size_t at = 0) {
        return h.size() >= at + magic.size() && h.compare(at, magic.size(), magic) == 0;
    };
    if (starts("\xFF\xD8\xFF"))
        return "image/jpeg";
    if (starts("\x89PNG\r\n\x1A\n"))
        return "image/png";
    if (starts("GIF87a") || starts("GIF89a"))
        return "image/gif";
    if (starts("RIFF") && starts("WEBP", 8))
        return "image/webp";
    if (starts("ftypheic", 4) || starts("ftypheix", 4) || starts("ftypmif1", 4))
        return "image/heic";
    if (starts("%PDF-"))
        return "application/pdf";
    const std::string byName = mimeByExtension(path);
    // A name may not claim a type whose bytes would have shown above.
    if (isImageMime(byName) || byName == "application/pdf")
        return "application/octet-stream";
    return byName;
}

bool nameClaimsImage(const std::string& path)
{
    return isImageMime(mimeByExtension(path));
}

bool isImageMime(const std::string& mime)
{
    return mime == "image/jpeg" || mime == "image/png" || mime == "image/gif" || mime == "image/webp" ||
           mime == "image/heic";
}

AttachResult attachFile(CaseStore& store, const std::string& parentId, const std::string& filePath,
                        const AttachOptions& options)
{
    const std::string name = Poco::Path(filePath).getFileName();
    const std::int64_t size = fileSize(filePath);
    if (size < 0 || !Poco::File(filePath).isFile())
        throw Error(ErrorCode::Storage, "attachment: cannot read " + filePath);
    if (size == 0)
        throw Error(ErrorCode::InvalidData, name + ": the file is empty");
    if (options.maxFileSize > 0 && size > options.maxFileSize)
        throw Error(ErrorCode::InvalidData, name + ": " + megabytes(size) + " is over the office's limit of " +
                                                megabytes(options.maxFileSize) + " for one file");
    AttachResult result;
    result.mime = sniffMime(filePath);
    if (options.requireImage && !isImageMime(result.mime))
        throw Error(ErrorCode::InvalidData, name + ": is not an image (a photo must be JPEG, PNG, GIF, WebP or HEIC "
                                                   "by its contents; these bytes are " +
                                                (result.mime == "application/octet-stream" ? std::string("unknown")
                                                                                           : result.mime) +
                                                ")");
    if (result.mime == "image/jpeg")
    {
        const std::string now = store.nowIso();
        result.exif = readPhotoExif(filePath, now.size() >= 6 ? now.substr(now.size() - 6) : std::string());
    }

    const std::string dataDir = dataDirOf(store);
    const std::string sha = sha256OfFile(filePath);
    if (!hasAttachmentFile(dataDir, sha))
    {
        std::ifstream in(filePath, std::ios::binary);
        AttachmentWriter writer(dataDir, store.dataKey(), sha);
        writer.discard(); // a part left by a download starts over from this whole file
        std::string chunk(kFileChunk, '\0');
        for (;;)
        {
            chunk.resize(kFileChunk);
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            chunk.resize(static_cast<std::size_t>(in.gcount()));
            if (chunk.empty())
                break;
            writer.append(chunk);
        }
        OPENSSL_cleanse(chunk.data(), chunk.size());
        if (in.bad())
            throw Error(ErrorCode::Storage, "attachment: cannot read " + filePath);
        writer.finish();
    }

    FieldMap fields = {{field::kParentId, parentId},
                       {field::kName, name},
                       {field::kMime, result.mime},
                       {field::kSize, std::to_string(size)},
                       {field::kSha256, sha}};
    if (!result.exif.takenAt.empty())
        fields[field::kTakenAt] = result.exif.takenAt;
    if (result.exif.hasLocation())
    {
        fields[field::kLatitude] = Poco::NumberFormatter::format(*result.exif.latitude, 6);
        fields[field::kLongitude] = Poco::NumberFormatter::format(*result.exif.longitude, 6);
    }
    result.id = store.create(kind::kAttachment, fields);
    return result;
}

std::string addAttachment(CaseStore& store, const std::string& parentId, const std::string& filePath)
{
    return attachFile(store, parentId, filePath).id;
}

std::string readAttachment(CaseStore& store, const std::string& sha256)
{
    AttachmentReader reader(dataDirOf(store), store.dataKey(), sha256);
    return reader.read(0, static_cast<std::size_t>(reader.size()));
}

void extractAttachment(CaseStore& store, const std::string& attachmentId, const std::string& toPath)
{
    const auto record = store.find(kind::kAttachment, attachmentId);
    if (!record)
        throw Error(ErrorCode::NotFound, "attachment: no attachment with id " + attachmentId);
    const std::string sha = record->value(field::kSha256);
    const std::string dataDir = dataDirOf(store);
    if (!hasAttachmentFile(dataDir, sha))
        throw Error(ErrorCode::NotFound, "attachment " + attachmentId + ": its file (" + record->value(field::kName) +
                                             ") has not arrived on this laptop yet; run berkas sync and try again");
    AttachmentReader reader(dataDir, store.dataKey(), sha);
    const std::string temp = toPath + ".part";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(ErrorCode::Storage, "extract: cannot write " + toPath);
        Sha256 hash;
        for (std::int64_t at = 0; at < reader.size(); at += static_cast<std::int64_t>(kFileChunk))
        {
            const std::string chunk = reader.read(at, kFileChunk);
            hash.update(chunk);
            out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        }
        out.close();
        if (!out)
        {
            Poco::File(temp).remove();
            throw Error(ErrorCode::Storage, "extract: cannot write " + toPath);
        }
        if (hash.hex() != sha)
        {
            Poco::File(temp).remove();
            throw Error(ErrorCode::Storage, "attachment " + attachmentId +
                                                ": the stored file does not match its SHA-256; sync again to fetch it anew");
        }
    }
    Poco::File(temp).renameTo(toPath);
}

AttachmentReader::AttachmentReader(const std::string& dataDir, const std::string& dataKey, const std::string& sha256)
    : AttachmentReader(attachmentPath(dataDir, sha256), dataKey)
{
}

AttachmentReader::AttachmentReader(const std::string& storedPath, const std::string& dataKey)
    : m_dataKey(dataKey), m_in(storedPath, std::ios::binary)
{
    if (!m_in)
        throw Error(ErrorCode::NotFound, "attachment: " + Poco::Path(storedPath).getFileName() +
                                             " is not on this laptop");
    m_stored = fileSize(storedPath);
    char magic[4] = {};
    m_in.read(magic, 4);
    m_sealed = m_in.gcount() == 4 && looksSealed(std::string(magic, 4));
    m_in.clear();
    if (!m_sealed)
    {
        m_size = m_stored;
        return;
    }
    if (m_dataKey.empty())
        throw Error(ErrorCode::Storage, "attachment: " + Poco::Path(storedPath).getFileName() +
                                            " is encrypted; unlock the laptop first");
    const std::int64_t blocks = m_stored / kSealedChunk;
    const std::int64_t rest = m_stored % kSealedChunk;
    if (m_stored > kSealedChunk)
    {
        // An earlier version sealed a large file as one block: its first
        // chunk-sized block does not authenticate alone.
        try
        {
            chunk(0);
        }
        catch (const Error&)
        {
            std::string whole(static_cast<std::size_t>(m_stored), '\0');
            m_in.seekg(0);
            m_in.read(whole.data(), static_cast<std::streamsize>(whole.size()));
            m_legacy = openSealedBytes(m_dataKey, whole);
            m_isLegacy = true;
            m_size = static_cast<std::int64_t>(m_legacy.size());
            return;
        }
    }
    if (rest > 0 && rest <= kSealOverhead)
        throw Error(ErrorCode::Storage, "attachment: the encrypted file is damaged (a torn block)");
    m_size = blocks * static_cast<std::int64_t>(kFileChunk) + (rest > 0 ? rest - kSealOverhead : 0);
}

const std::string& AttachmentReader::chunk(std::int64_t index)
{
    if (index == m_cachedIndex)
        return m_cached;
    const std::int64_t at = index * kSealedChunk;
    const std::int64_t length = std::min(kSealedChunk, m_stored - at);
    std::string block(static_cast<std::size_t>(std::max<std::int64_t>(length, 0)), '\0');
    m_in.clear();
    m_in.seekg(at);
    m_in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (m_in.gcount() != static_cast<std::streamsize>(block.size()))
        throw Error(ErrorCode::Storage, "attachment: the encrypted file is shorter than it should be");
    OPENSSL_cleanse(m_cached.data(), m_cached.size());
    m_cached = openSealedBytes(m_dataKey, block);
    m_cachedIndex = index;
    return m_cached;
}

std::string AttachmentReader::read(std::int64_t offset, std::size_t length)
{
    std::string out;
    read(offset, length, out);
    return out;
}

void AttachmentReader::read(std::int64_t offset, std::size_t length, std::string& out)
{
    out.clear();
    if (offset < 0 || offset >= m_size)
        return;
    const std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(length), m_size - offset));
    if (m_isLegacy)
    {
        out.assign(m_legacy, static_cast<std::size_t>(offset), want);
        return;
    }
    out.reserve(want);
    if (!m_sealed)
    {
        out.resize(want);
        m_in.clear();
        m_in.seekg(offset);
        m_in.read(out.data(), static_cast<std::streamsize>(want));
        out.resize(static_cast<std::size_t>(m_in.gcount()));
        return;
    }
    std::int64_t at = offset;
    while (out.size() < want)
    {
        const std::int64_t index = at / static_cast<std::int64_t>(kFileChunk);
        const std::size_t from = static_cast<std::size_t>(at % static_cast<std::int64_t>(kFileChunk));
        const std::string& c = chunk(index);
        const std::size_t take = std::min(c.size() - from, want - out.size());
        out.append(c, from, take);
        at += static_cast<std::int64_t>(take);
        if (take == 0)
            break;
    }
}

AttachmentWriter::AttachmentWriter(const std::string& dataDir, const std::string& dataKey, const std::string& sha256)
    : m_dataKey(dataKey), m_sha256(sha256), m_target(attachmentPath(dataDir, sha256)), m_part(m_target + ".part"),
      m_dataDir(dataDir), m_hash(std::make_unique<Sha256>())
{
    try
    {
        Poco::File(Poco::Path(m_target).parent()).createDirectories();
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "attachment: cannot write " + m_target + ": " + e.displayText());
    }
    const std::int64_t stored = fileSize(m_part);
    if (stored <= 0)
        return;
    // Keep whole chunks only: the last write may have been cut by a crash.
    const std::int64_t unit = m_dataKey.empty() ? static_cast<std::int64_t>(kFileChunk) : kSealedChunk;
    const std::int64_t keep = stored / unit * unit;
    if (keep != stored && ::truncate(m_part.c_str(), static_cast<off_t>(keep)) != 0)
        throw Error(ErrorCode::Storage, "attachment: cannot write " + m_part);
    m_received = keep / unit * static_cast<std::int64_t>(kFileChunk);
    // What a restart left: hashed once now, so finish() need not read the
    // whole file back. A part that does not open is started over.
    try
    {
        AttachmentReader reader(m_part, m_dataKey);
        for (std::int64_t at = 0; at < reader.size(); at += static_cast<std::int64_t>(kFileChunk))
            m_hash->update(reader.read(at, kFileChunk));
    }
    catch (const Error&)
    {
        discard();
    }
}

void AttachmentWriter::append(const std::string& plain)
{
    std::ofstream out(m_part, std::ios::binary | std::ios::app);
    if (m_dataKey.empty())
        out.write(plain.data(), static_cast<std::streamsize>(plain.size()));
    else
    {
        const std::string sealed = sealBytes(m_dataKey, plain);
        out.write(sealed.data(), static_cast<std::streamsize>(sealed.size()));
    }
    out.close();
    if (!out)
        throw Error(ErrorCode::Storage, "attachment: cannot write " + m_part);
    m_hash->update(plain);
    m_received += static_cast<std::int64_t>(plain.size());
}

void AttachmentWriter::finish()
{
    if (fileSize(m_part) < 0)
        std::ofstream(m_part, std::ios::binary | std::ios::app).close(); // an empty file
    const std::string actual = m_hash->hex();
    if (actual != m_sha256)
    {
        discard();
        throw Error(ErrorCode::InvalidData, "attachment: the received file does not match its SHA-256 " + m_sha256 +
                                                " (got " + actual + "); it will be fetched again");
    }
    try
    {
        Poco::File(m_part).renameTo(m_target);
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "attachment: cannot write " + m_target + ": " + e.displayText());
    }
}

void AttachmentWriter::discard()
{
    std::remove(m_part.c_str());
    m_received = 0;
    m_hash = std::make_unique<Sha256>();
}

} // namespace berkas::model
