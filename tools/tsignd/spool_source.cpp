#include "spool_source.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "tsign/core/file_io.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign::daemon {

namespace {

constexpr std::chrono::milliseconds kPoll{200};
constexpr std::size_t kMaxNameBytes = 100;

bool valid_name(const std::string& name) {
  if (name.size() <= 5 || name.size() > kMaxNameBytes || !name.ends_with(".json") || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

Result<SpoolSource> SpoolSource::open(const std::filesystem::path& spool, std::function<void(const std::string&)> warn) {
  for (const char* sub : {"incoming", "taken", "results"}) {
    const auto dir = spool / sub;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || ::chmod(dir.c_str(), 0700) != 0) {
      return make_error(ErrorKind::Storage, "spool directory " + dir.string() + ": cannot create it");
    }
  }
  return SpoolSource(spool, std::move(warn));
}

std::optional<IncomingRequest> SpoolSource::next(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    if (auto taken = take_one()) return taken;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        kPoll, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())));
  }
}

std::optional<IncomingRequest> SpoolSource::take_one() {
  std::error_code ec;
  std::vector<std::string> names;
  for (std::filesystem::directory_iterator it(spool_ / "incoming", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (valid_name(name)) {
      names.push_back(name);
    } else if (reported_.size() < 1024 && reported_.insert(name).second) {
      warn_("spool: ignoring a file in incoming/ whose name is not <letters, digits, . _ ->.json");
    }
    if (names.size() >= 256) break;
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const auto taken = spool_ / "taken" / name;
    if (!rename_durable(spool_ / "incoming" / name, taken).ok()) continue;
    auto bytes = read_file(taken, kMaxRequestBytes);
    std::string text = bytes ? std::string(bytes->begin(), bytes->end()) : std::string("{\"oversize or unreadable\":0}");
    const auto result_path = spool_ / "results" / name;
    return IncomingRequest{std::move(text), [result_path, warn = warn_](const ServiceResult& result) {
                             std::string line = encode_result(result);
                             line += '\n';
                             if (!write_file_atomic(result_path, as_bytes(line)).ok()) {
                               warn("spool: cannot write a result file");
                             }
                           }};
  }
  return std::nullopt;
}

}  // namespace tsign::daemon
