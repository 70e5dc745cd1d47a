#pragma once

#include <optional>
#include <string>

namespace berkas::model {

/// What a photo's EXIF data says about where and when it was taken.
struct PhotoExif
{
    /// "2026-12-03T09:41:05+07:00": DateTimeOriginal (else DateTime) with
    /// OffsetTimeOriginal when the camera wrote one, else with @p officeOffset
    /// given to readPhotoExif(). Empty when the photo carries no time.
    std::string takenAt;
    /// Decimal degrees, south and west negative, from the GPS IFD. Both set
    /// or both empty; also empty when outside Indonesia (see outsideIndonesia).
    std::optional<double> latitude;
    std::optional<double> longitude;
    /// The GPS position the photo carries lies outside Indonesia (latitude
    /// -11.5 to 6.5, longitude 94.5 to 141.5, the rule of the task's
    /// coordinates): it is not kept as a location.
    bool outsideIndonesia = false;
    std::optional<double> rawLatitude;
    std::optional<double> rawLongitude;
    /// The file has an EXIF block that cannot be read (truncated, bad
    /// offsets, GPS values of the wrong form): nothing from it is used.
    bool broken = false;

    bool hasLocation() const { return latitude && longitude; }
};

/// Reads the EXIF block of a JPEG at @p path with libexif; only the first
/// segments of the file are read, never the whole photo. A file without
/// EXIF (a PNG, a PDF, a photo stripped of it) gives an empty PhotoExif.
/// Never throws for bad data (that is `broken`); throws Error(Storage) only
/// when the file cannot be opened. @p officeOffset ("+07:00") completes a
/// camera time that has no offset of its own.
PhotoExif readPhotoExif(const std::string& path, const std::string& officeOffset);

} // namespace berkas::model
