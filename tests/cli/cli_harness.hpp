#pragma once
// Runs the built `tsign` program as separate processes, for the CLI tests. Every process has a
// deadline after which it is killed, so no test can hang; output goes to files, so a chatty
// process never blocks on a full pipe.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tsign/core/bytes.hpp"

#include "support/temp_dir.hpp"

namespace tsign::test {

struct RunResult {
  int exit_code = -1;  // -1: killed at the deadline
  long peak_memory_kib = 0;  // the process's largest resident set
  bool core_dumped = false;
  std::chrono::milliseconds elapsed{0};
  std::string out;
  std::string err;
  nlohmann::json json() const;  // stdout parsed (tests pass --json)
};


// One tsign process, started at construction.
class TsignProcess {
 public:
  // `binary`: another program of the build (tsignd_binary()); default tsign.
  TsignProcess(std::vector<std::string> args, std::map<std::string, std::string> env, const std::filesystem::path& scratch,
               std::chrono::seconds deadline = std::chrono::seconds(60), const std::filesystem::path& binary = {});
  ~TsignProcess();  // kills the process if it is still running
  TsignProcess(const TsignProcess&) = delete;
  TsignProcess& operator=(const TsignProcess&) = delete;

  // Waits for the exit (or kills the process at the deadline) and collects its output.
  RunResult wait();
  void signal(int signal);

 private:
  pid_t pid_ = -1;
  std::chrono::steady_clock::time_point started_;
  std::filesystem::path out_file_, err_file_;
  std::chrono::steady_clock::time_point deadline_;
  std::optional<RunResult> result_;
};

std::filesystem::path tsign_binary();
std::filesystem::path tsignd_binary();

// Runs one process to its end.
RunResult run_tsign(std::vector<std::string> args, std::map<std::string, std::string> env,
                    const std::filesystem::path& scratch, std::chrono::seconds deadline = std::chrono::seconds(60));

// Starts one process per argument list at once, then waits for all of them.
std::vector<RunResult> run_together(const std::vector<std::vector<std::string>>& args,
                                    const std::vector<std::map<std::string, std::string>>& env,
                                    const std::filesystem::path& scratch,
                                    std::chrono::seconds deadline = std::chrono::seconds(60));

// Distinct free TCP ports on 127.0.0.1, outside the ephemeral range (bound, then released).
std::vector<std::uint16_t> free_ports(std::size_t count);

std::string read_text(const std::filesystem::path& file);
// Mode 0600, as tsign wants a secret file.
void write_text(const std::filesystem::path& file, const std::string& text);
// Every regular file under dir with its contents, to show that a failed command left them alone.
std::map<std::string, Bytes> snapshot(const std::filesystem::path& dir);

}  // namespace tsign::test
