#include "model/AttachmentFiles.h"

#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/KeyRing.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

namespace berkas::model {

namespace {

std::string guessMime(const std::string& path)
{
    static const std::map<std::string, std::string> types = {
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},   {"pdf", "application/pdf"},
        {"txt", "text/plain"}, {"csv", "text/csv"},    {"heic", "image/heic"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    };
    const auto it = types.find(Poco::toLower(Poco::Path(path).getExtension()));
    return it == types.end() ? "application/octet-stream" : it->second;
}

} // namespace

std::string sha256OfFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "attachment: cannot read " + path);
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    char buffer[65536];
    while (in)
    {
        in.read(buffer, sizeof buffer);
        engine.update(buffer, static_cast<unsigned>(in.gcount()));
    }
    return Poco::DigestEngine::digestToHex(engine.digest());
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

std::string dataDirOf(CaseStore& store)
{
    return Poco::Path(store.database().path()).parent().toString();
}

std::string addAttachment(CaseStore& store, const std::string& parentId, const std::string& filePath)
{
    const std::string sha = sha256OfFile(filePath);
    const std::string target = attachmentPath(dataDirOf(store), sha);
    std::int64_t size = 0;
    try
    {
        Poco::File source(filePath);
        size = static_cast<std::int64_t>(source.getSize());
        Poco::File(Poco::Path(target).parent()).createDirectories();
        if (!Poco::File(target).exists())
        {
            // Copy to a temporary name first so a half-copied file never
            // carries a hash it does not have.
            if (store.dataKey().empty())
                source.copyTo(target + ".part");
            else
            {
                std::ifstream in(filePath, std::ios::binary);
                std::string plain((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                if (!in && !in.eof())
                    throw Error(ErrorCode::Storage, "attachment: cannot read " + filePath);
                const std::string sealed = sealBytes(store.dataKey(), plain);
                std::fill(plain.begin(), plain.end(), '\0');
                std::ofstream out(target + ".part", std::ios::binary | std::ios::trunc);
                out.write(sealed.data(), static_cast<std::streamsize>(sealed.size()));
                out.close();
                if (!out)
                    throw Error(ErrorCode::Storage, "attachment: cannot write " + target);
            }
            Poco::File(target + ".part").renameTo(target);
        }
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "attachment: cannot store " + filePath + ": " + e.displayText());
    }
    return store.create(kind::kAttachment, {{field::kParentId, parentId},
                                            {field::kName, Poco::Path(filePath).getFileName()},
                                            {field::kMime, guessMime(filePath)},
                                            {field::kSize, std::to_string(size)},
                                            {field::kSha256, sha}});
}

std::string readAttachment(CaseStore& store, const std::string& sha256)
{
    const std::string path = attachmentPath(dataDirOf(store), sha256);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "attachment: " + sha256 + " is not on this laptop");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!looksSealed(bytes))
        return bytes; // stored before this laptop was encrypted
    if (store.dataKey().empty())
        throw Error(ErrorCode::Storage, "attachment: " + sha256 + " is encrypted; unlock the laptop first");
    return openSealedBytes(store.dataKey(), bytes);
}

} // namespace berkas::model
