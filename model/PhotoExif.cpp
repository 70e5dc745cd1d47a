#include "model/PhotoExif.h"

#include "model/Error.h"
#include "model/Validation.h"

#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>

#include <Poco/NumberFormatter.h>

#include <cmath>
#include <fstream>
#include <memory>

namespace berkas::model {

namespace {

constexpr unsigned char kExifHeader[] = {'E', 'x', 'i', 'f', 0, 0};

/// The payload of the JPEG's APP1 "Exif" segment, read marker by marker up
/// to the first scan; empty when the file is not a JPEG or has none.
std::string exifSegment(std::istream& in)
{
    unsigned char soi[2] = {};
    if (!in.read(reinterpret_cast<char*>(soi), 2) || soi[0] != 0xFF || soi[1] != 0xD8)
        return {};
    for (;;)
    {
        unsigned char marker[4] = {};
        if (!in.read(reinterpret_cast<char*>(marker), 4) || marker[0] != 0xFF)
            return {};
        const unsigned length = (static_cast<unsigned>(marker[2]) << 8) | marker[3];
        if (marker[1] == 0xDA || marker[1] == 0xD9 || length < 2)
            return {}; // start of scan: no metadata after it
        std::string payload(length - 2, '\0');
        if (!in.read(payload.data(), static_cast<std::streamsize>(payload.size())))
            return marker[1] == 0xE1 && payload.compare(0, 6, reinterpret_cast<const char*>(kExifHeader), 6) == 0
                       ? payload.substr(0, static_cast<std::size_t>(in.gcount()))
                       : std::string();
        if (marker[1] == 0xE1 && payload.size() >= 6 &&
            payload.compare(0, 6, reinterpret_cast<const char*>(kExifHeader), 6) == 0)
            return payload;
    }
}

using ExifPtr = std::unique_ptr<ExifData, decltype(&exif_data_unref)>;

/// Degrees from the three rationals of a GPS latitude or longitude; nullopt
/// when the entry is not of that form.
std::optional<double> degrees(ExifEntry* value, ExifEntry* ref, ExifByteOrder order, char negative)
{
    if (!value || value->format != EXIF_FORMAT_RATIONAL || value->components != 3 || !value->data ||
        value->size < 24)
        return std::nullopt;
    double parts[3] = {};
    for (int i = 0; i < 3; ++i)
    {
        const ExifRational r = exif_get_rational(value->data + 8 * i, order);
        if (r.denominator == 0)
            return std::nullopt;
        parts[i] = static_cast<double>(r.numerator) / r.denominator;
    }
    double d = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
    if (ref && ref->data && ref->size >= 1 && ref->data[0] == static_cast<unsigned char>(negative))
        d = -d;
    return d;
}

std::string asciiOf(ExifEntry* e)
{
    if (!e || e->format != EXIF_FORMAT_ASCII || !e->data)
        return {};
    std::string s(reinterpret_cast<const char*>(e->data), e->size);
    return s.substr(0, s.find('\0'));
}

/// "2026:12:03 09:41:05" and "+07:00" as ISO 8601; empty when not of that form.
std::string isoTime(const std::string& exif, const std::string& offset)
{
    if (exif.size() < 19 || exif[4] != ':' || exif[7] != ':' || exif[10] != ' ')
        return {};
    std::string iso = exif.substr(0, 4) + "-" + exif.substr(5, 2) + "-" + exif.substr(8, 2) + "T" + exif.substr(11, 8);
    const bool offsetShaped = offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') && offset[3] == ':';
    iso += offsetShaped ? offset : "";
    return checkTimestamp(iso).ok ? iso : std::string();
}

/// Six decimals (about 10 cm), whatever the process's locale.
std::string formatDegrees(double d)
{
    return Poco::NumberFormatter::format(d, 6);
}

} // namespace

PhotoExif readPhotoExif(const std::string& path, const std::string& officeOffset)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "attachment: cannot read " + path);
    PhotoExif result;
    const std::string segment = exifSegment(in);
    if (segment.empty())
        return result;
    // A TIFF header ("II*\0" or "MM\0*") must follow "Exif\0\0"; libexif
    // loads what it can from anything else and says nothing.
    const bool tiffShaped = segment.size() >= 14 && ((segment.compare(6, 4, "II*\0", 4) == 0) ||
                                                     (segment.compare(6, 4, std::string("MM\0*", 4)) == 0));
    ExifPtr data(tiffShaped ? exif_data_new_from_data(reinterpret_cast<const unsigned char*>(segment.data()),
                                                      static_cast<unsigned>(segment.size()))
                            : nullptr,
                 &exif_data_unref);
    if (!data || !data->ifd[EXIF_IFD_0] || data->ifd[EXIF_IFD_0]->count == 0)
    {
        result.broken = true;
        return result;
    }
    const ExifByteOrder order = exif_data_get_byte_order(data.get());

    std::string camera = asciiOf(exif_content_get_entry(data->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL));
    if (camera.empty())
        camera = asciiOf(exif_content_get_entry(data->ifd[EXIF_IFD_0], EXIF_TAG_DATE_TIME));
    std::string offset = asciiOf(exif_content_get_entry(data->ifd[EXIF_IFD_EXIF], EXIF_TAG_OFFSET_TIME_ORIGINAL));
    if (offset.size() != 6)
        offset = officeOffset;
    result.takenAt = isoTime(camera, offset);

    ExifContent* gps = data->ifd[EXIF_IFD_GPS];
    ExifEntry* lat = exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE));
    ExifEntry* lon = exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE));
    if (!lat && !lon)
        return result;
    const auto latitude =
        degrees(lat, exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF)), order, 'S');
    const auto longitude =
        degrees(lon, exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF)), order, 'W');
    if (!latitude || !longitude || !std::isfinite(*latitude) || !std::isfinite(*longitude))
    {
        result.broken = true;
        return result;
    }
    result.rawLatitude = latitude;
    result.rawLongitude = longitude;
    // The task's rule for coordinates (Validation.h) decides what is Indonesia.
    if (!checkLatitude(formatDegrees(*latitude)).ok || !checkLongitude(formatDegrees(*longitude)).ok)
    {
        result.outsideIndonesia = true;
        return result;
    }
    result.latitude = std::round(*latitude * 1e6) / 1e6;
    result.longitude = std::round(*longitude * 1e6) / 1e6;
    return result;
}

} // namespace berkas::model
