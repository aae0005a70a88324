#include "tsign/core/text_fields.hpp"

#include <cctype>

namespace tsign {

namespace {

Error bad(std::string_view what, const std::string& why) {
  return make_error(ErrorKind::InvalidInput, std::string(what) + ": " + why);
}

}  // namespace

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_blank_separated(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

Result<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max, std::string_view what) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0') ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return bad(what, "expected a decimal number, got '" + std::string(text.substr(0, 40)) + "'");
  }
  std::uint64_t v = 0;
  for (char c : text) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  if (v > max) return bad(what, std::string(text) + " is above " + std::to_string(max));
  return v;
}

Result<PartyId> parse_party_id(std::string_view text, std::string_view what) {
  TSIGN_TRY(std::uint64_t v, parse_decimal(text, 0xffffffffu, what));
  if (v == 0) return bad(what, "party id 0 is not allowed");
  return static_cast<PartyId>(v);
}

Result<std::vector<PartyId>> parse_party_list(std::string_view text, std::string_view what) {
  std::vector<PartyId> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    TSIGN_TRY(PartyId id, parse_party_id(item, what));
    out.push_back(id);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) return bad(what, "a party is listed twice");
  return out;
}

std::string format_party_list(const std::vector<PartyId>& parties) {
  std::string out;
  for (PartyId p : parties) out += (out.empty() ? "" : ",") + std::to_string(p);
  return out;
}

Result<Bytes> parse_hex(std::string_view text, std::string_view what, std::optional<std::size_t> size) {
  if (text.size() % 2 != 0 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
    return bad(what, "expected hex digits");
  }
  if (size && text.size() != 2 * *size) {
    return bad(what, "expected " + std::to_string(*size) + " bytes (" + std::to_string(2 * *size) + " hex digits), got " +
                         std::to_string(text.size() / 2));
  }
  return from_hex(text);
}

}  // namespace tsign
