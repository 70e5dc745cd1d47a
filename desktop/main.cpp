#include "desktop/App.h"
#include "desktop/CommandLine.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    // Only options (--data, --lang): open the window. A command runs
    // headless and never initialises wx, so it needs no display.
    if (!berkas::desktop::CommandLine::hasCommand(args))
        return berkas::desktop::runWindow(argc, argv, args);
    berkas::desktop::CommandLine cli(std::cout, std::cerr, std::cin);
    return cli.run(args);
}
