// The JSON form of requests and results (docs/requests.md), with a strict decoder: bounded size
// and nesting before parsing, no repeated, unknown or misplaced field, exact types and sizes.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "tsign/core/text_fields.hpp"
#include "tsign/service/request.hpp"

namespace tsign {

namespace {

using nlohmann::json;

constexpr int kMaxNesting = 3;  // the request object, a list, nothing deeper
constexpr std::uint32_t kRequestVersion = 1;

Error field_error(std::string_view field, std::string_view what) {
  std::string message = "request field '";
  message += field;
  message += "': ";
  message += what;
  return make_error(ErrorKind::InvalidInput, message);
}

// Nesting of arrays and objects outside strings, so the parser never recurses deep.
Status check_nesting(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return make_error(ErrorKind::InvalidInput, "request: nested too deep");
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return {};
}

// Which fields each operation takes besides the common ones.
std::vector<std::string_view> operation_fields(RequestOperation op) {
  switch (op) {
    case RequestOperation::Keygen: return {"suite", "threshold", "parties"};
    case RequestOperation::Sign: return {"key", "message_hex", "digest", "signers", "path", "taproot_root", "presignature"};
    case RequestOperation::Refresh: return {"key"};
    case RequestOperation::Reshare: return {"key", "old_quorum", "parties", "threshold", "suite", "group_key"};
    case RequestOperation::Repair: return {"key", "parties", "recovering", "suite", "epoch"};
    case RequestOperation::Presign: return {"key", "signers", "path", "count"};
    case RequestOperation::Health: return {};
  }
  return {};
}

constexpr std::string_view kCommonFields[] = {"version", "id", "cluster", "requester", "created_at", "expires_at",
                                              "operation", "signature"};

class Fields {
 public:
  explicit Fields(const json& object) : object_(object) {}

  const json* find(std::string_view name) const {
    auto it = object_.find(std::string(name));
    return it == object_.end() ? nullptr : &*it;
  }
  Result<std::uint64_t> integer(std::string_view name, std::uint64_t max) const {
    const json* v = find(name);
    if (v == nullptr) return field_error(name, "missing");
    if (!v->is_number_unsigned()) return field_error(name, "expected a non-negative integer");
    const auto n = v->get<std::uint64_t>();
    if (n > max) return field_error(name, "too large");
    return n;
  }
  Result<std::string> string(std::string_view name, std::size_t max) const {
    const json* v = find(name);
    if (v == nullptr) return field_error(name, "missing");
    if (!v->is_string()) return field_error(name, "expected a string");
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > max) return field_error(name, "too long");
    return s;
  }
  Result<Bytes> hex(std::string_view name, std::size_t min, std::size_t max) const {
    TSIGN_TRY(std::string s, string(name, 2 * max));
    auto bytes = parse_hex(s, name);
    if (!bytes) return field_error(name, "expected hex digits");
    if (bytes->size() < min) return field_error(name, "too short");
    return bytes;
  }
  template <std::size_t N>
  Result<ByteArray<N>> hex_array(std::string_view name) const {
    TSIGN_TRY(Bytes raw, hex(name, N, N));
    ByteArray<N> out{};
    std::copy(raw.begin(), raw.end(), out.begin());
    return out;
  }
  template <class T>
  Result<std::vector<T>> integers(std::string_view name, std::size_t max_count, std::uint64_t max) const {
    const json* v = find(name);
    if (v == nullptr) return std::vector<T>{};
    if (!v->is_array()) return field_error(name, "expected a list of integers");
    if (v->size() > max_count) return field_error(name, "too many entries");
    std::vector<T> out;
    for (const json& e : *v) {
      if (!e.is_number_unsigned() || e.get<std::uint64_t>() > max) return field_error(name, "expected a list of integers in range");
      out.push_back(static_cast<T>(e.get<std::uint64_t>()));
    }
    return out;
  }

 private:
  const json& object_;
};

// Parses, refusing a key repeated within one object (the library would keep the last silently).
Result<json> parse_strict(std::string_view text) {
  std::vector<std::set<std::string>> keys;
  bool repeated = false;
  json::parser_callback_t on_event = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
    if (event == json::parse_event_t::key && !keys.empty()) {
      if (!keys.back().insert(parsed.get<std::string>()).second) repeated = true;
    }
    return true;
  };
  json doc = json::parse(text.begin(), text.end(), on_event, false);
  if (doc.is_discarded()) return make_error(ErrorKind::InvalidInput, "request: not valid JSON");
  if (repeated) return make_error(ErrorKind::InvalidInput, "request: a field is repeated");
  if (!doc.is_object()) return make_error(ErrorKind::InvalidInput, "request: expected a JSON object");
  return doc;
}

Result<ShareSuite> suite_field(const Fields& f) {
  TSIGN_TRY(std::string name, f.string("suite", 32));
  auto suite = share_suite_from_string(name);
  if (!suite) return field_error("suite", "unknown suite");
  return *suite;
}

json parties_json(const std::vector<PartyId>& parties) {
  json out = json::array();
  for (PartyId p : parties) out.push_back(p);
  return out;
}

}  // namespace

Result<ServiceRequest> decode_request(std::string_view text) {
  if (text.size() > kMaxRequestBytes) return make_error(ErrorKind::InvalidInput, "request: larger than 64 KiB");
  TSIGN_CHECK(check_nesting(text));
  TSIGN_TRY(json doc, parse_strict(text));
  const Fields f(doc);

  TSIGN_TRY(std::string op_name, f.string("operation", 16));
  const auto op = request_operation_from_string(op_name);
  if (!op) return field_error("operation", "unknown operation");
  const auto allowed = operation_fields(*op);
  for (const auto& [name, _] : doc.items()) {
    const bool known = std::find(std::begin(kCommonFields), std::end(kCommonFields), name) != std::end(kCommonFields) ||
                       std::find(allowed.begin(), allowed.end(), name) != allowed.end();
    if (!known) {
      std::string shown = name.substr(0, 40);
      std::replace_if(shown.begin(), shown.end(), [](char c) { return c < 0x20 || c > 0x7e; }, '?');
      return field_error(shown, "not a field of a " + op_name + " request");
    }
  }

  ServiceRequest r;
  r.operation = *op;
  TSIGN_TRY(std::uint64_t version, f.integer("version", 0xffffffffu));
  if (version != kRequestVersion) return field_error("version", "unsupported version");
  TSIGN_TRY(r.id, f.hex("id", kMinRequestIdBytes, kMaxRequestIdBytes));
  TSIGN_TRY(r.cluster_id, f.string("cluster", 64));
  TSIGN_TRY(r.requester, f.string("requester", 64));
  TSIGN_TRY(r.created_at, f.integer("created_at", std::uint64_t{1} << 40));
  TSIGN_TRY(r.expires_at, f.integer("expires_at", std::uint64_t{1} << 40));
  TSIGN_TRY(r.signature, f.hex_array<64>("signature"));

  if (f.find("suite")) {
    TSIGN_TRY(r.suite, suite_field(f));
  }
  if (f.find("threshold")) {
    TSIGN_TRY(std::uint64_t t, f.integer("threshold", kMaxRequestParties));
    r.threshold = static_cast<std::uint32_t>(t);
  }
  TSIGN_TRY(r.parties, f.integers<PartyId>("parties", kMaxRequestParties, 0xffffffffu));
  TSIGN_TRY(r.signers, f.integers<PartyId>("signers", kMaxRequestParties, 0xffffffffu));
  TSIGN_TRY(r.old_quorum, f.integers<PartyId>("old_quorum", kMaxRequestParties, 0xffffffffu));
  TSIGN_TRY(r.path, f.integers<std::uint32_t>("path", kMaxRequestPathDepth, 0x7fffffffu));
  if (f.find("key")) {
    TSIGN_TRY(r.key_id, f.hex_array<32>("key"));
  }
  if (f.find("message_hex") && f.find("digest")) return field_error("digest", "give either message_hex or digest");
  if (f.find("message_hex")) {
    TSIGN_TRY(Bytes message, f.hex("message_hex", 0, kMaxRequestMessage));
    r.content = std::move(message);
  }
  if (f.find("digest")) {
    TSIGN_TRY(Digest32 digest, f.hex_array<32>("digest"));
    r.content = digest;
  }
  if (f.find("taproot_root")) {
    TSIGN_TRY(r.taproot_root, f.hex_array<32>("taproot_root"));
  }
  if (const json* v = f.find("presignature")) {
    if (!v->is_boolean()) return field_error("presignature", "expected true or false");
    r.use_presignature = v->get<bool>();
  }
  if (f.find("group_key")) {
    TSIGN_TRY(r.group_key, f.hex("group_key", 32, 33));
  }
  if (f.find("recovering")) {
    TSIGN_TRY(std::uint64_t p, f.integer("recovering", 0xffffffffu));
    r.recovering = static_cast<PartyId>(p);
  }
  if (f.find("epoch")) {
    TSIGN_TRY(r.epoch, f.integer("epoch", std::uint64_t{1} << 48));
  }
  if (f.find("count")) {
    TSIGN_TRY(std::uint64_t n, f.integer("count", kMaxPresignTopUp));
    r.count = static_cast<std::uint32_t>(n);
  }
  TSIGN_CHECK(check_request_fields(r));
  return r;
}

std::string encode_request(const ServiceRequest& r) {
  json j = json::object();
  j["version"] = kRequestVersion;
  j["id"] = to_hex(r.id);
  j["cluster"] = r.cluster_id;
  j["requester"] = r.requester;
  j["created_at"] = r.created_at;
  j["expires_at"] = r.expires_at;
  j["operation"] = to_string(r.operation);
  const auto allowed = operation_fields(r.operation);
  const auto takes = [&](std::string_view name) { return std::find(allowed.begin(), allowed.end(), name) != allowed.end(); };
  if (r.suite && takes("suite")) j["suite"] = to_string(*r.suite);
  if (r.threshold != 0 && takes("threshold")) j["threshold"] = r.threshold;
  if (!r.parties.empty() && takes("parties")) j["parties"] = parties_json(r.parties);
  if (!r.signers.empty() && takes("signers")) j["signers"] = parties_json(r.signers);
  if (!r.old_quorum.empty() && takes("old_quorum")) j["old_quorum"] = parties_json(r.old_quorum);
  if (!r.path.empty() && takes("path")) j["path"] = r.path;
  if (r.key_id && takes("key")) j["key"] = to_hex(*r.key_id);
  if (r.content && takes("message_hex")) {
    if (const auto* message = std::get_if<Bytes>(&*r.content)) j["message_hex"] = to_hex(*message);
    else j["digest"] = to_hex(std::get<Digest32>(*r.content));
  }
  if (r.taproot_root && takes("taproot_root")) j["taproot_root"] = to_hex(*r.taproot_root);
  if (r.use_presignature && takes("presignature")) j["presignature"] = true;
  if (!r.group_key.empty() && takes("group_key")) j["group_key"] = to_hex(r.group_key);
  if (r.recovering != 0 && takes("recovering")) j["recovering"] = r.recovering;
  if (r.epoch != 0 && takes("epoch")) j["epoch"] = r.epoch;
  if (r.count != 0 && takes("count")) j["count"] = r.count;
  j["signature"] = to_hex(r.signature);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode_result(const ServiceResult& r) {
  json j = json::object();
  j["version"] = kRequestVersion;
  j["id"] = to_hex(r.request_id);
  j["party"] = r.party;
  j["status"] = to_string(r.status);
  if (!r.reason.empty()) j["reason"] = r.reason;
  // Error text may quote what a peer or requester sent: dump() escapes it, and invalid UTF-8 is
  // replaced rather than thrown on.
  if (!r.error.empty()) j["error"] = r.error;
  if (r.key_id) j["key"] = to_hex(*r.key_id);
  if (!r.signature.empty()) j["signature"] = to_hex(r.signature);
  if (!r.public_key.empty()) j["public_key"] = to_hex(r.public_key);
  if (r.recovery_id) j["recovery_id"] = *r.recovery_id;
  if (!r.signers.empty()) j["signers"] = parties_json(r.signers);
  if (!r.culprits.empty() || r.status != ResultStatus::Ok) j["culprits"] = parties_json(r.culprits);
  if (r.attempts != 0) j["attempts"] = r.attempts;
  if (r.audit_sequence) j["audit_sequence"] = *r.audit_sequence;
  if (!r.presignatures.empty()) {
    json ids = json::array();
    for (const Digest32& id : r.presignatures) ids.push_back(to_hex(id));
    j["presignatures"] = ids;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace tsign
