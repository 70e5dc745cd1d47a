#pragma once

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <string>
#include <thread>
#include <vector>

namespace berkas::test {

/// What a finished child process left behind.
struct ProcessResult
{
    int code = 0;
    std::string out;
    std::string err;
};

/// Runs @p binary to completion with @p input on its standard input and
/// @p env added to its environment. Standard error is read on a second
/// thread, so a child that writes a lot to both streams cannot block.
inline ProcessResult runProcess(const std::string& binary, const std::vector<std::string>& args,
                                const std::string& input = "", const Poco::Process::Env& env = {})
{
    Poco::Pipe in, out, err;
    Poco::ProcessHandle h = Poco::Process::launch(binary, args, "", &in, &out, &err, env);
    Poco::PipeOutputStream toChild(in);
    toChild << input;
    toChild.close();
    ProcessResult r;
    std::thread errors([&] {
        Poco::PipeInputStream fromErr(err);
        Poco::StreamCopier::copyToString(fromErr, r.err);
    });
    Poco::PipeInputStream fromOut(out);
    Poco::StreamCopier::copyToString(fromOut, r.out);
    errors.join();
    r.code = h.wait();
    return r;
}

} // namespace berkas::test
