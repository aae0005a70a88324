#include "daemon_config.hpp"

#include <set>

#include "tsign/core/file_io.hpp"
#include "tsign/core/text_fields.hpp"

namespace tsign::daemon {

namespace {

constexpr std::size_t kMaxConfigBytes = 64 * 1024;

Error line_error(std::size_t line, const std::string& what) {
  std::string message = "tsignd configuration line ";
  message += std::to_string(line);
  message += ": ";
  message += what;
  return make_error(ErrorKind::InvalidInput, message);
}

Result<std::uint64_t> bounded(std::string_view value, std::uint64_t min, std::uint64_t max, std::string_view what) {
  TSIGN_TRY(std::uint64_t n, parse_decimal(value, max, what));
  if (n < min) return make_error(ErrorKind::InvalidInput, std::string(what) + ": too small");
  return n;
}

Status apply(DaemonConfig& c, std::string_view key, std::string_view value) {
  if (key == "vault") c.vault = std::string(value);
  else if (key == "cluster") c.cluster = std::string(value);
  else if (key == "state") c.service.state_dir = std::string(value);
  else if (key == "spool") c.spool = std::string(value);
  else if (key == "passphrase_file") c.passphrase_file = std::string(value);
  else if (key == "log_level") {
    auto level = log_level_from_string(value);
    if (!level) return make_error(ErrorKind::InvalidInput, "log_level: debug, info, warn or error");
    c.service.log_level = *level;
  } else if (key == "workers") {
    TSIGN_TRY(c.service.workers, bounded(value, 1, 64, "workers"));
  } else if (key == "queue_limit") {
    TSIGN_TRY(c.service.queue_limit, bounded(value, 1, 4096, "queue_limit"));
  } else if (key == "round_timeout") {
    TSIGN_TRY(std::uint64_t s, bounded(value, 1, 3600, "round_timeout"));
    c.service.round_timeout = std::chrono::seconds(s);
  } else if (key == "clock_skew") {
    TSIGN_TRY(std::uint64_t s, bounded(value, 0, 3600, "clock_skew"));
    c.service.clock_skew = std::chrono::seconds(s);
  } else if (key == "max_lifetime") {
    TSIGN_TRY(std::uint64_t s, bounded(value, 1, 86'400, "max_lifetime"));
    c.service.max_lifetime = std::chrono::seconds(s);
  } else {
    std::string message = "unknown setting '";
    message += key.substr(0, 40);
    message += "'";
    return make_error(ErrorKind::InvalidInput, message);
  }
  return {};
}

}  // namespace

Result<DaemonConfig> parse_daemon_config(std::string_view text) {
  if (text.size() > kMaxConfigBytes) return make_error(ErrorKind::InvalidInput, "tsignd configuration: larger than 64 KiB");
  DaemonConfig config;
  std::set<std::string, std::less<>> seen;
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim_blanks(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return line_error(line_no, "expected 'key = value'");
    const std::string_view key = trim_blanks(line.substr(0, eq));
    const std::string_view value = trim_blanks(line.substr(eq + 1));
    if (value.empty()) return line_error(line_no, "empty value");
    if (!seen.emplace(key).second) return line_error(line_no, "setting given twice");
    if (seen.size() == 1) {
      if (key != "version" || value != "1") return line_error(line_no, "the first setting must be 'version = 1'");
      continue;
    }
    if (auto applied = apply(config, key, value); !applied) return line_error(line_no, applied.error().message);
  }
  for (const char* required : {"version", "vault", "cluster", "state", "spool"}) {
    if (seen.count(std::string_view(required)) == 0) {
      std::string message = "tsignd configuration: '";
      message += required;
      message += "' missing";
      return make_error(ErrorKind::InvalidInput, message);
    }
  }
  return config;
}

Result<DaemonConfig> load_daemon_config(const std::filesystem::path& file) {
  auto bytes = read_file(file, kMaxConfigBytes);
  if (!bytes) return make_error(ErrorKind::InvalidInput, "tsignd configuration: " + bytes.error().message);
  return parse_daemon_config(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
}

}  // namespace tsign::daemon
