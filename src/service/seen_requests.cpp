#include "tsign/service/seen_requests.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tsign/core/file_io.hpp"
#include "tsign/core/text_fields.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign {

namespace {

constexpr std::size_t kMaxLineBytes = 2 * 32 + 1 + 20 + 1;

Error storage_error(const std::filesystem::path& file, const std::string& what) {
  std::string message = "seen requests ";
  message += file.string();
  message += ": ";
  message += what;
  return make_error(ErrorKind::Storage, message);
}

std::string line_of(const std::string& id_hex, std::uint64_t expires_at) {
  std::string line = id_hex;
  line += ' ';
  line += std::to_string(expires_at);
  line += '\n';
  return line;
}

}  // namespace

struct SeenRequests::State {
  std::filesystem::path file;
  std::size_t max_entries = 0;
  int fd = -1;
  mutable std::mutex mutex;
  std::map<std::string, std::uint64_t> ids;  // id hex -> expires_at

  ~State() {
    if (fd >= 0) ::close(fd);
  }

  Status rewrite_and_reopen() {
    std::string text;
    for (const auto& [id, expires] : ids) text += line_of(id, expires);
    TSIGN_CHECK(write_file_atomic(file, as_bytes(text)));
    if (fd >= 0) ::close(fd);
    fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return storage_error(file, std::strerror(errno));
    return {};
  }
};

SeenRequests::SeenRequests(std::unique_ptr<State> state) : state_(std::move(state)) {}
SeenRequests::SeenRequests(SeenRequests&&) noexcept = default;
SeenRequests& SeenRequests::operator=(SeenRequests&&) noexcept = default;
SeenRequests::~SeenRequests() = default;

Result<SeenRequests> SeenRequests::open(const std::filesystem::path& file, std::uint64_t now, std::size_t max_entries) {
  auto state = std::make_unique<State>();
  state->file = file;
  state->max_entries = max_entries;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    auto bytes = read_file(file, max_entries * kMaxLineBytes + kMaxLineBytes);
    if (!bytes) return storage_error(file, bytes.error().message);
    std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    std::size_t line_no = 0;
    while (!text.empty()) {
      const auto end = text.find('\n');
      if (end == std::string_view::npos) break;  // torn by a crash mid-append: never acted on
      const std::string_view line = text.substr(0, end);
      text = text.substr(end + 1);
      ++line_no;
      const auto fields = split_blank_separated(line);
      auto id = fields.size() == 2 ? parse_hex(fields[0], "id") : Result<Bytes>(make_error(ErrorKind::InvalidInput, ""));
      auto expires = fields.size() == 2 ? parse_decimal(fields[1], UINT64_MAX, "expiry") : Result<std::uint64_t>(0);
      if (!id || !expires || id->empty() || id->size() > 32) {
        return storage_error(file, "line " + std::to_string(line_no) + " is damaged");
      }
      if (*expires >= now) state->ids[to_hex(*id)] = *expires;
    }
  }
  TSIGN_CHECK(state->rewrite_and_reopen());
  return SeenRequests(std::move(state));
}

Result<bool> SeenRequests::insert(ByteSpan id, std::uint64_t expires_at) {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  const std::string id_hex = to_hex(id);
  if (s.ids.count(id_hex) != 0) return false;
  if (s.ids.size() >= s.max_entries) return make_error(ErrorKind::InvalidInput, "too many requests pending expiry");
  const std::string line = line_of(id_hex, expires_at);
  // One write(2) of a short line on an O_APPEND descriptor, then fsync: the id is durable before
  // the request is acted on.
  const ssize_t written = ::write(s.fd, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size()) || ::fsync(s.fd) != 0) {
    return storage_error(s.file, std::string("cannot record the request: ") + std::strerror(errno));
  }
  s.ids.emplace(id_hex, expires_at);
  return true;
}

bool SeenRequests::contains(ByteSpan id) const {
  std::lock_guard lock(state_->mutex);
  return state_->ids.count(to_hex(id)) != 0;
}

Status SeenRequests::prune(std::uint64_t now) {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  const std::size_t before = s.ids.size();
  std::erase_if(s.ids, [now](const auto& entry) { return entry.second < now; });
  if (s.ids.size() == before) return {};
  return s.rewrite_and_reopen();
}

std::size_t SeenRequests::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->ids.size();
}

}  // namespace tsign
