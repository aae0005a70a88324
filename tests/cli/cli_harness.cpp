#include "cli_harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace tsign::test {

nlohmann::json RunResult::json() const {
  try {
    return nlohmann::json::parse(out);
  } catch (const std::exception&) {
    throw std::runtime_error("not JSON (exit " + std::to_string(exit_code) + "): " + out + "\nstderr: " + err);
  }
}

std::filesystem::path tsign_binary() { return std::filesystem::path(TSIGN_BINARY_DIR) / "tools" / "tsign"; }
std::filesystem::path tsignd_binary() { return std::filesystem::path(TSIGN_BINARY_DIR) / "tools" / "tsignd"; }

namespace {
std::atomic<unsigned> process_counter{0};
}  // namespace

TsignProcess::TsignProcess(std::vector<std::string> args, std::map<std::string, std::string> env,
                           const std::filesystem::path& scratch, std::chrono::seconds deadline,
                           const std::filesystem::path& program)
    : deadline_(std::chrono::steady_clock::now() + deadline) {
  const unsigned n = process_counter++;
  out_file_ = scratch / ("proc" + std::to_string(n) + ".out");
  err_file_ = scratch / ("proc" + std::to_string(n) + ".err");
  const std::string binary = program.empty() ? tsign_binary().string() : program.string();
  if (!std::filesystem::exists(binary)) throw std::runtime_error("binary not found at " + binary);

  std::vector<std::string> argv_storage{binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The parent's environment without any TSIGN_ variable, plus the test's own. TSIGN_MUTANT
  // passes through: under tools/mutate.py the tool must run the same mutant as the test.
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view var(*e);
    if (var.rfind("TSIGN_", 0) != 0 || var.rfind("TSIGN_MUTANT=", 0) == 0) env_storage.emplace_back(*e);
  }
  for (const auto& [k, v] : env) env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int out_fd = ::open(out_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = ::open(err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  started_ = std::chrono::steady_clock::now();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::setsid();  // no controlling terminal: the passphrase must come from the file or variable
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::chdir(scratch.c_str());  // where a core dump would land
    // Core dumps as large as allowed: tsign must turn them off itself.
    rlimit core{};
    if (::getrlimit(RLIMIT_CORE, &core) == 0) {
      core.rlim_cur = core.rlim_max = RLIM_INFINITY;
      if (::setrlimit(RLIMIT_CORE, &core) != 0 && ::getrlimit(RLIMIT_CORE, &core) == 0) {
        core.rlim_cur = core.rlim_max;
        ::setrlimit(RLIMIT_CORE, &core);
      }
    }
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  ::close(null_fd);
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

TsignProcess::~TsignProcess() {
  if (!result_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void TsignProcess::signal(int signal) {
  if (!result_ && pid_ > 0) ::kill(pid_, signal);
}

RunResult TsignProcess::wait() {
  if (result_) return *result_;
  RunResult r;
  int status = 0;
  for (;;) {
    struct rusage usage {};
    const pid_t done = ::wait4(pid_, &status, WNOHANG, &usage);
    if (done == pid_) {
      r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      r.core_dumped = WIFSIGNALED(status) && WCOREDUMP(status);
      r.peak_memory_kib = usage.ru_maxrss;
      r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      r.exit_code = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.out = read_text(out_file_);
  r.err = read_text(err_file_);
  result_ = r;
  return r;
}

RunResult run_tsign(std::vector<std::string> args, std::map<std::string, std::string> env,
                    const std::filesystem::path& scratch, std::chrono::seconds deadline) {
  TsignProcess p(std::move(args), std::move(env), scratch, deadline);
  return p.wait();
}

std::vector<RunResult> run_together(const std::vector<std::vector<std::string>>& args,
                                    const std::vector<std::map<std::string, std::string>>& env,
                                    const std::filesystem::path& scratch, std::chrono::seconds deadline) {
  std::vector<std::unique_ptr<TsignProcess>> processes;
  for (std::size_t i = 0; i < args.size(); ++i) {
    processes.push_back(std::make_unique<TsignProcess>(args[i], env.at(i), scratch, deadline));
  }
  std::vector<RunResult> out;
  for (auto& p : processes) out.push_back(p->wait());
  return out;
}

std::vector<std::uint16_t> free_ports(std::size_t count) {
  // Below Linux's ephemeral range (32768 and up), so no outgoing connection of this or any other
  // test takes one of these ports between now and the moment a tsign process binds it.
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(20000, 32000);
  std::vector<int> fds;
  std::vector<std::uint16_t> ports;
  for (int attempt = 0; ports.size() < count && attempt < 1000; ++attempt) {
    const auto port = static_cast<std::uint16_t>(pick(rng));
    if (std::find(ports.begin(), ports.end(), port) != ports.end()) continue;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      continue;
    }
    ports.push_back(port);
    fds.push_back(fd);  // held until all are chosen
  }
  for (int fd : fds) ::close(fd);
  if (ports.size() < count) throw std::runtime_error("no free ports");
  return ports;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
  }
  // Owner-only, as tsign requires of secret files (passphrase, PIN, backup secret).
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

std::map<std::string, Bytes> snapshot(const std::filesystem::path& dir) {
  std::map<std::string, Bytes> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string text = read_text(entry.path());
    out.emplace(std::filesystem::relative(entry.path(), dir).string(), Bytes(text.begin(), text.end()));
  }
  return out;
}

}  // namespace tsign::test
