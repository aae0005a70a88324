#include "tsign/net/party_config.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "tsign/core/file_io.hpp"

namespace tsign {

PartyConfig PartyConfig::clone() const {
  PartyConfig out{id, listen_host, listen_port, static_key.clone(), peers};
  return out;
}

const PeerConfig* PartyConfig::peer(PartyId peer_id) const {
  auto it = std::find_if(peers.begin(), peers.end(), [&](const PeerConfig& p) { return p.id == peer_id; });
  return it == peers.end() ? nullptr : &*it;
}

std::vector<PartyId> PartyConfig::party_ids() const {
  std::vector<PartyId> out{id};
  for (const auto& p : peers) out.push_back(p.id);
  std::sort(out.begin(), out.end());
  return out;
}

Digest32 PartyConfig::cluster_hash() const {
  std::map<PartyId, X25519PublicKey> members{{id, static_key.public_key()}};
  for (const auto& p : peers) members[p.id] = p.static_key;
  Sha256 h = tagged_hasher("tsign/net/cluster");
  h.update_u64(members.size());
  for (const auto& [pid, key] : members) h.update_u32(pid).update(key);
  return h.finish();
}

namespace {

Error config_error(std::size_t line, const std::string& what) {
  return make_error(ErrorKind::InvalidInput, "party config line " + std::to_string(line) + ": " + what);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A decimal without sign or leading zeros, at most `max`.
std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max) {
  if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

std::optional<ByteArray<32>> parse_key_hex(std::string_view s) {
  if (s.size() != 64) return std::nullopt;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  Bytes b = from_hex(s);
  ByteArray<32> out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

bool valid_hostname(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

bool valid_ipv6(std::string_view host) {
  if (host.size() < 2 || host.size() > 45) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
  });
}

}  // namespace

Result<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text, bool allow_port_zero) {
  auto bad = [&](const std::string& why) {
    return make_error(ErrorKind::InvalidInput, "address '" + std::string(text.substr(0, 80)) + "': " + why);
  };
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("expected [address]:port");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (!valid_ipv6(host)) return bad("not an IPv6 address");
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("expected host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (!valid_hostname(host)) return bad("host must be letters, digits, '.' and '-' (IPv6 in brackets)");
  }
  auto p = parse_decimal(port, 65535);
  if (!p) return bad("port must be a number from 0 to 65535");
  if (*p == 0 && !allow_port_zero) return bad("port 0");
  return std::pair<std::string, std::uint16_t>(std::string(host), static_cast<std::uint16_t>(*p));
}

Result<X25519KeyPair> read_static_key_file(const std::filesystem::path& file) {
  auto fail = [&](const std::string& why) {
    return make_error(ErrorKind::Storage, "static key file " + file.string() + ": " + why);
  };
  auto file_bytes = read_file(file, 128, FileAccess::owner_only);
  if (!file_bytes) return make_error(ErrorKind::Storage, "static key file: " + file_bytes.error().message);
  Bytes& text = *file_bytes;
  std::string_view view(reinterpret_cast<const char*>(text.data()), text.size());
  if (view.size() == 65 && view.back() == '\n') view.remove_suffix(1);
  auto key = parse_key_hex(view);
  sodium_memzero(text.data(), text.size());
  if (!key) return fail("expected 64 hex digits");
  auto pair = X25519KeyPair::from_private(*key);
  sodium_memzero(key->data(), key->size());
  if (!pair) return fail(pair.error().message);
  return pair;
}

Status write_static_key_file(const std::filesystem::path& file, const X25519KeyPair& key) {
  FileDescriptor fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) {
    return make_error(ErrorKind::Storage, "static key file " + file.string() + ": " + std::strerror(errno));
  }
  std::string text = to_hex(key.private_key()) + "\n";
  Status written = write_all(fd, as_bytes(text), file);
  sodium_memzero(text.data(), text.size());
  if (written.ok() && ::fsync(fd.get()) != 0) written = posix_error("cannot fsync", file);
  if (fd.close() != 0 && written.ok()) written = posix_error("cannot close", file);
  if (!written.ok()) {
    ::unlink(file.c_str());  // a half-written key would only be refused later
    return make_error(ErrorKind::Storage, "static key file: " + written.error().message);
  }
  return {};
}

Result<PartyConfig> parse_party_config(std::string_view text, const std::filesystem::path& base_dir) {
  if (text.size() > kMaxConfigBytes) return config_error(0, "file larger than 1 MiB");
  if (text.find('\0') != std::string_view::npos) return config_error(0, "NUL byte");

  PartyConfig config;
  std::set<std::string> seen;
  std::optional<std::string> version, id, listen, key_inline, key_file;
  std::map<PartyId, std::size_t> peer_lines;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    for (char c : line) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return config_error(line_no, "control character");
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) return config_error(line_no, "expected key = value");
    std::string key(trim(line.substr(0, eq)));
    std::string_view value = trim(line.substr(eq + 1));
    if (value.empty()) return config_error(line_no, "empty value for '" + key + "'");

    if (key == "peer") {
      std::istringstream fields{std::string(value)};
      std::string pid, addr, pub, extra;
      if (!(fields >> pid >> addr >> pub) || (fields >> extra)) {
        return config_error(line_no, "expected: peer = <id> <host:port> <64 hex digits>");
      }
      auto peer_id = parse_decimal(pid, 0xffffffffu);
      if (!peer_id || *peer_id == 0) return config_error(line_no, "peer id must be a number from 1 to 4294967295");
      auto hp = parse_host_port(addr, false);
      if (!hp) return config_error(line_no, hp.error().message);
      auto k = parse_key_hex(pub);
      if (!k) return config_error(line_no, "peer static key must be 64 hex digits");
      if (std::all_of(k->begin(), k->end(), [](std::uint8_t b) { return b == 0; })) {
        return config_error(line_no, "all-zero peer static key");
      }
      PeerConfig peer{static_cast<PartyId>(*peer_id), hp->first, hp->second, *k};
      if (!peer_lines.emplace(peer.id, line_no).second) {
        return config_error(line_no, "peer " + pid + " listed twice");
      }
      if (config.peers.size() >= kMaxPeers) return config_error(line_no, "more than 4096 peers");
      config.peers.push_back(std::move(peer));
      continue;
    }
    std::optional<std::string>* slot = nullptr;
    if (key == "version") slot = &version;
    if (key == "id") slot = &id;
    if (key == "listen") slot = &listen;
    if (key == "static_key") slot = &key_inline;
    if (key == "static_key_file") slot = &key_file;
    if (slot == nullptr) return config_error(line_no, "unknown key '" + key.substr(0, 40) + "'");
    if (slot->has_value()) return config_error(line_no, "'" + key + "' given twice");
    *slot = std::string(value);
  }

  if (!version) return config_error(line_no, "missing 'version'");
  if (*version != "1") return config_error(line_no, "unsupported version '" + version->substr(0, 16) + "'");
  if (!id) return config_error(line_no, "missing 'id'");
  auto self = parse_decimal(*id, 0xffffffffu);
  if (!self || *self == 0) return config_error(line_no, "id must be a number from 1 to 4294967295");
  config.id = static_cast<PartyId>(*self);
  if (!listen) return config_error(line_no, "missing 'listen'");
  auto hp = parse_host_port(*listen, true);
  if (!hp) return config_error(line_no, hp.error().message);
  config.listen_host = hp->first;
  config.listen_port = hp->second;
  if (key_inline.has_value() == key_file.has_value()) {
    return config_error(line_no, "give exactly one of 'static_key' and 'static_key_file'");
  }
  if (key_inline) {
    auto k = parse_key_hex(*key_inline);
    sodium_memzero(key_inline->data(), key_inline->size());
    if (!k) return config_error(line_no, "static_key must be 64 hex digits");
    auto pair = X25519KeyPair::from_private(*k);
    sodium_memzero(k->data(), k->size());
    if (!pair) return config_error(line_no, pair.error().message);
    config.static_key = std::move(pair).value();
  } else {
    std::filesystem::path path(*key_file);
    if (path.is_relative()) path = base_dir / path;
    TSIGN_TRY(config.static_key, read_static_key_file(path));
  }
  if (config.peers.empty()) return config_error(line_no, "no peers");
  if (peer_lines.count(config.id)) return config_error(peer_lines[config.id], "a peer has this party's own id");
  std::sort(config.peers.begin(), config.peers.end(), [](const PeerConfig& a, const PeerConfig& b) { return a.id < b.id; });
  std::set<X25519PublicKey> keys{config.static_key.public_key()};
  for (const auto& p : config.peers) {
    if (!keys.insert(p.static_key).second) {
      return config_error(peer_lines[p.id], "peer " + std::to_string(p.id) + " shares a static key with another party");
    }
  }
  return config;
}

Result<PartyConfig> load_party_config(const std::filesystem::path& file) {
  auto bytes = read_file(file, kMaxConfigBytes);
  if (!bytes) return make_error(bytes.error().kind, "party config: " + bytes.error().message);
  const std::string text(bytes->begin(), bytes->end());
  auto config = parse_party_config(text, file.parent_path());
  if (!config) return make_error(config.error().kind, file.string() + ": " + config.error().message);
  return config;
}

namespace {
std::string format_address(const std::string& host, std::uint16_t port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}
}  // namespace

std::string format_party_config(const PartyConfig& config, const std::optional<std::string>& static_key_file) {
  std::string out = "# tsign party configuration\nversion = 1\n";
  out += "id = " + std::to_string(config.id) + "\n";
  out += "listen = " + format_address(config.listen_host, config.listen_port) + "\n";
  if (static_key_file) {
    out += "static_key_file = " + *static_key_file + "\n";
  } else {
    out += "static_key = " + to_hex(config.static_key.private_key()) + "\n";
  }
  for (const auto& p : config.peers) {
    out += "peer = " + std::to_string(p.id) + " " + format_address(p.host, p.port) + " " + to_hex(p.static_key) + "\n";
  }
  return out;
}

}  // namespace tsign
