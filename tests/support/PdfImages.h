#pragma once

// What poppler's `pdfimages -list` finds in a PDF: the images kept as JPEG
// (photos embedded as they were taken) and the others (signatures, PNGs).

#include "tests/support/ChildProcess.h"

#include <sstream>
#include <stdexcept>
#include <string>

namespace berkas::test {

struct PdfImageCount
{
    int jpegs = 0;
    int others = 0;
};

/// Counts the images of @p pdf; throws when pdfimages fails.
inline PdfImageCount pdfImages(const std::string& pdf)
{
    const ProcessResult list = runProcess("/usr/bin/pdfimages", {"-list", pdf});
    if (list.code != 0)
        throw std::runtime_error("pdfimages -list " + pdf + ": " + list.err);
    PdfImageCount count;
    std::istringstream lines(list.out);
    std::string line;
    while (std::getline(lines, line))
    {
        if (line.find(" image ") == std::string::npos)
            continue;
        (line.find(" jpeg ") != std::string::npos ? count.jpegs : count.others) += 1;
    }
    return count;
}

} // namespace berkas::test
