#include "desktop/CommandLine.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    berkas::desktop::CommandLine cli(std::cout, std::cerr, std::cin);
    return cli.run(args);
}
