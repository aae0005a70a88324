#include "tsign/store/policy_rules.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "tsign/core/text_fields.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign {

namespace {

constexpr std::size_t kMaxRuleFile = 1u << 20;

constexpr std::string_view kVersionLine = "tsign-policy";
constexpr std::uint32_t kHardened = 0x80000000u;

// The state of parsing one line; errors name it.
struct Line {
  std::size_t number;
  std::vector<std::string_view> words;

  Error fail(const std::string& why) const {
    return make_error(ErrorKind::InvalidInput, "policy line " + std::to_string(number) + ": " + why);
  }
};


// Decimal without sign or leading zeros.
template <class T>
Result<T> parse_number(const Line& line, std::string_view word, std::string_view what) {
  const bool digits = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (word.size() > 1 && word[0] == '0')) {
    return line.fail(std::string(what) + " must be a decimal number without leading zeros, not '" + std::string(word) + "'");
  }
  T value{};
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc{} || end != word.data() + word.size()) {
    return line.fail(std::string(what) + " '" + std::string(word) + "' is too large");
  }
  return value;
}

template <std::size_t N>
Result<ByteArray<N>> parse_hex(const Line& line, std::string_view word, std::string_view what) {
  const bool lower_hex = word.size() == 2 * N && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (!lower_hex) return line.fail(std::string(what) + " must be " + std::to_string(2 * N) + " lowercase hex digits");
  Bytes raw = from_hex(word);
  ByteArray<N> out;
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

// "m" or "m/0/17": non-hardened indices only (threshold keys derive non-hardened children).
Result<std::vector<std::uint32_t>> parse_path(const Line& line, std::string_view word) {
  if (word.empty() || word[0] != 'm' || (word.size() > 1 && word[1] != '/')) {
    return line.fail("derivation path must be 'm' or start with 'm/', not '" + std::string(word) + "'");
  }
  std::vector<std::uint32_t> path;
  std::size_t at = 1;
  while (at < word.size()) {
    const std::size_t next = word.find('/', at + 1);
    const std::string_view part = word.substr(at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1);
    TSIGN_TRY(std::uint32_t index, parse_number<std::uint32_t>(line, part, "path index"));
    if (index >= kHardened) return line.fail("path index " + std::string(part) + " is hardened; only indices below 2^31 are allowed");
    path.push_back(index);
    if (path.size() > kMaxAuditPathDepth) return line.fail("derivation path deeper than 255");
    if (next == std::string_view::npos) break;
    at = next;
  }
  return path;
}

template <class T>
Status add_unique(const Line& line, std::vector<T>& list, T value, std::string_view what) {
  if (std::find(list.begin(), list.end(), value) != list.end()) {
    return line.fail(std::string(what) + " listed twice");
  }
  list.push_back(std::move(value));
  return {};
}

bool starts_with(const std::vector<std::uint32_t>& path, const std::vector<std::uint32_t>& prefix) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

}  // namespace

Result<PolicyRules> PolicyRules::parse(std::string_view text) {
  if (text.size() > kMaxRuleFile) return make_error(ErrorKind::InvalidInput, "policy file is larger than 1 MiB");
  PolicyRules rules;
  bool seen_version = false;
  std::set<std::string_view> singletons;
  std::size_t number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    const std::string_view raw = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++number;
    Line line{number, {}};
    for (char c : raw) {
      if (c == '\r') return line.fail("carriage return: use Unix line endings");
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || static_cast<unsigned char>(c) >= 0x7f) {
        return line.fail("only printable ASCII is allowed");
      }
    }
    line.words = split_blank_separated(raw);
    if (line.words.empty() || line.words[0].front() == '#') continue;

    const std::string_view directive = line.words[0];
    const std::size_t args = line.words.size() - 1;
    auto need = [&](std::size_t n) -> Status {
      if (args != n) {
        return line.fail("'" + std::string(directive) + "' takes " + std::to_string(n) + " argument" +
                         (n == 1 ? "" : "s") + ", got " + std::to_string(args));
      }
      return {};
    };
    auto once = [&]() -> Status {
      if (!singletons.insert(directive).second) return line.fail("'" + std::string(directive) + "' given twice");
      return {};
    };

    if (!seen_version) {
      if (directive != kVersionLine) return line.fail("the file must start with 'tsign-policy 1'");
      TSIGN_CHECK(need(1));
      if (line.words[1] != "1") return line.fail("unsupported policy version '" + std::string(line.words[1]) + "'");
      seen_version = true;
      continue;
    }

    if (directive == "allow-scheme") {
      TSIGN_CHECK(need(1));
      if (!share_suite_from_string(line.words[1])) return line.fail("unknown scheme '" + std::string(line.words[1]) + "'");
      TSIGN_CHECK(add_unique(line, rules.schemes, std::string(line.words[1]), "scheme"));
    } else if (directive == "allow-key") {
      TSIGN_CHECK(need(1));
      TSIGN_TRY(KeyId key, parse_hex<32>(line, line.words[1], "key id"));
      TSIGN_CHECK(add_unique(line, rules.keys, key, "key"));
    } else if (directive == "allow-path") {
      TSIGN_CHECK(need(1));
      TSIGN_TRY(auto path, parse_path(line, line.words[1]));
      TSIGN_CHECK(add_unique(line, rules.path_prefixes, std::move(path), "path"));
    } else if (directive == "min-signers") {
      TSIGN_CHECK(need(1));
      TSIGN_CHECK(once());
      TSIGN_TRY(rules.min_signers, parse_number<std::uint32_t>(line, line.words[1], "min-signers"));
      if (rules.min_signers == 0) return line.fail("min-signers must be at least 1");
    } else if (directive == "max-signers") {
      TSIGN_CHECK(need(1));
      TSIGN_CHECK(once());
      TSIGN_TRY(std::uint32_t max, parse_number<std::uint32_t>(line, line.words[1], "max-signers"));
      if (max == 0) return line.fail("max-signers must be at least 1");
      rules.max_signers = max;
    } else if (directive == "require-signer") {
      TSIGN_CHECK(need(1));
      TSIGN_TRY(PartyId party, parse_number<std::uint32_t>(line, line.words[1], "party id"));
      if (party == 0) return line.fail("party id 0 does not exist");
      TSIGN_CHECK(add_unique(line, rules.required_signers, party, "signer"));
    } else if (directive == "max-message-bytes") {
      TSIGN_CHECK(need(1));
      TSIGN_CHECK(once());
      TSIGN_TRY(rules.max_message_bytes, parse_number<std::uint64_t>(line, line.words[1], "max-message-bytes"));
    } else if (directive == "allow-any-digest") {
      TSIGN_CHECK(need(0));
      TSIGN_CHECK(once());
      rules.any_digest = true;
    } else if (directive == "allow-digest") {
      TSIGN_CHECK(need(1));
      TSIGN_TRY(Digest32 digest, parse_hex<32>(line, line.words[1], "digest"));
      TSIGN_CHECK(add_unique(line, rules.digests, digest, "digest"));
    } else if (directive == kVersionLine) {
      return line.fail("'tsign-policy' given twice");
    } else {
      return line.fail("unknown directive '" + std::string(directive) + "'");
    }
  }
  if (!seen_version) return make_error(ErrorKind::InvalidInput, "policy file is empty: it must start with 'tsign-policy 1'");
  if (rules.max_signers && *rules.max_signers < rules.min_signers) {
    return make_error(ErrorKind::InvalidInput, "policy: max-signers is below min-signers");
  }
  if (rules.any_digest && !rules.digests.empty()) {
    return make_error(ErrorKind::InvalidInput, "policy: allow-any-digest and allow-digest contradict each other");
  }
  if (rules.max_signers && rules.required_signers.size() > *rules.max_signers) {
    return make_error(ErrorKind::InvalidInput, "policy: more required signers than max-signers allows");
  }
  rules.source_digest = sha256(as_bytes(text));
  return rules;
}

Result<PolicyRules> PolicyRules::load(const std::filesystem::path& path) {
  TSIGN_TRY(Bytes text, read_file(path, kMaxRuleFile));
  auto rules = parse(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
  if (!rules.ok()) return make_error(rules.error().kind, path.string() + ": " + rules.error().message);
  return rules;
}

PolicyDecision PolicyRules::evaluate(const SigningRequest& request) const {
  using D = PolicyDecision;
  if (std::find(schemes.begin(), schemes.end(), request.scheme) == schemes.end()) {
    return D::deny("scheme '" + request.scheme + "' is not allowed");
  }
  if (!keys.empty() && std::find(keys.begin(), keys.end(), request.key_id) == keys.end()) {
    return D::deny("key " + to_hex(request.key_id) + " is not allowed");
  }

  std::vector<PartyId> signers = request.signers;
  std::sort(signers.begin(), signers.end());
  if (std::adjacent_find(signers.begin(), signers.end()) != signers.end()) return D::deny("the signer set repeats a party");
  if (signers.size() < min_signers) {
    return D::deny(std::to_string(signers.size()) + " signers are fewer than the minimum of " + std::to_string(min_signers));
  }
  if (max_signers && signers.size() > *max_signers) {
    return D::deny(std::to_string(signers.size()) + " signers exceed the maximum of " + std::to_string(*max_signers));
  }
  for (PartyId required : required_signers) {
    if (!std::binary_search(signers.begin(), signers.end(), required)) {
      return D::deny("required signer " + std::to_string(required) + " is not in the signer set");
    }
  }

  const auto& path = request.derivation_path;
  if (std::any_of(path.begin(), path.end(), [](std::uint32_t i) { return i >= kHardened; })) {
    return D::deny("derivation path " + format_derivation_path(path) + " has a hardened step");
  }
  // The root key needs no allow-path; a derived key needs a prefix ('m' admits every path).
  if (!path.empty() && std::none_of(path_prefixes.begin(), path_prefixes.end(),
                                    [&](const auto& prefix) { return starts_with(path, prefix); })) {
    return D::deny("derivation path " + format_derivation_path(path) + " is not under an allowed prefix");
  }

  if (const auto* digest = std::get_if<Digest32>(&request.content)) {
    if (any_digest) return D::allow();
    if (std::find(digests.begin(), digests.end(), *digest) != digests.end()) return D::allow();
    if (digests.empty()) return D::deny("digest requests are not allowed");
    return D::deny("digest " + to_hex(*digest) + " is not on the allow list");
  }
  const auto& message = std::get<Bytes>(request.content);
  if (!max_message_bytes) return D::deny("message requests are not allowed");
  if (message.size() > *max_message_bytes) {
    return D::deny("message of " + std::to_string(message.size()) + " bytes exceeds the limit of " +
                   std::to_string(*max_message_bytes));
  }
  return D::allow();
}

SigningPolicy PolicyRules::as_policy() const {
  return [rules = *this](const SigningRequest& request) { return rules.evaluate(request); };
}

}  // namespace tsign
