// tsign requester-key, tsign request: a requester's key, and a request for the signer service
// (tsignd) signed with it.
#include <chrono>

#include "command.hpp"
#include "message_input.hpp"
#include "parse.hpp"
#include "tsign/core/random.hpp"
#include "tsign/core/text_fields.hpp"
#include "tsign/custody/cluster.hpp"
#include "tsign/keys/bip32.hpp"
#include "tsign/service/request.hpp"
#include "tsign/service/requester_key.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kKeyUsage = R"(usage: tsign requester-key --out FILE [--id NAME]

Creates a requester key (Ed25519) in FILE (mode 0600, never overwritten) and prints its public key
and the cluster configuration line that authorizes it; edit the operations it lists.)";

Result<Report> run_key(const Args& args, const Context&) {
  const IdentityKey key = IdentityKey::generate();
  TSIGN_CHECK(write_requester_key_file(args.require("out"), key));
  const std::string id = args.get("id").value_or("requester");
  Report report;
  report.set("public_key", "public key", to_hex(key.public_key()));
  std::string line = "requester = ";
  line += id;
  line += ' ';
  line += to_hex(key.public_key());
  line += " sign,health";
  report.set("cluster_line", "cluster line", line);
  return report;
}

constexpr std::string_view kUsage = R"(usage: tsign request --cluster FILE --requester-key FILE --requester NAME --operation OP
                     [--key KEY] [--suite SUITE] [--threshold T] [--parties 1,2,3]
                     [--signers 1,2] [--old-quorum 1,2] [--recovering ID] [--epoch N]
                     [--group-key HEX] [--count N] [--path m/0/1] [--taproot-root HEX]
                     [--presignature] [--lifetime SECONDS]
                     [--message TEXT | --message-hex HEX | --message-file FILE | --digest HEX]
                     [--out FILE]

Builds a request for the signer service (docs/requests.md), signs it with the requester key and
prints its JSON (or writes it to FILE). OP is keygen, sign, refresh, reshare, repair, presign or
health; the fields each takes are listed in docs/requests.md. The request gets a random id and is
valid for --lifetime seconds (default 300) from now.)";

Result<std::vector<PartyId>> party_list_option(const Args& args, std::string_view name) {
  const auto value = args.get(name);
  if (!value) return std::vector<PartyId>{};
  std::string what = "--";
  what += name;
  return parse_party_list(*value, what);
}

Result<Report> run(const Args& args, const Context&) {
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  TSIGN_TRY(IdentityKey key, read_requester_key_file(args.require("requester-key")));
  ServiceRequest r;
  const auto op = request_operation_from_string(args.require("operation"));
  if (!op) return make_error(ErrorKind::InvalidInput, "--operation: keygen, sign, refresh, reshare, repair, presign or health");
  r.operation = *op;
  r.id = random_bytes(16);
  r.cluster_id = cluster.cluster_id();
  r.requester = args.require("requester");
  std::uint64_t lifetime = 300;
  if (auto l = args.get("lifetime")) {
    TSIGN_TRY(lifetime, parse_number(*l, 86'400, "--lifetime"));
  }
  r.created_at = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  r.expires_at = r.created_at + lifetime;
  if (auto k = args.get("key")) {
    TSIGN_TRY(r.key_id, parse_hex_array<32>(*k, "--key"));
  }
  if (auto s = args.get("suite")) {
    TSIGN_TRY(r.suite, parse_suite(*s));
  }
  if (auto t = args.get("threshold")) {
    TSIGN_TRY(std::uint64_t threshold, parse_number(*t, kMaxRequestParties, "--threshold"));
    r.threshold = static_cast<std::uint32_t>(threshold);
  }
  TSIGN_TRY(r.parties, party_list_option(args, "parties"));
  TSIGN_TRY(r.signers, party_list_option(args, "signers"));
  TSIGN_TRY(r.old_quorum, party_list_option(args, "old-quorum"));
  if (auto p = args.get("recovering")) {
    TSIGN_TRY(r.recovering, parse_party_id(*p, "--recovering"));
  }
  if (auto e = args.get("epoch")) {
    TSIGN_TRY(r.epoch, parse_number(*e, std::uint64_t{1} << 48, "--epoch"));
  }
  if (auto g = args.get("group-key")) {
    TSIGN_TRY(r.group_key, parse_hex(*g, "--group-key"));
  }
  if (auto n = args.get("count")) {
    TSIGN_TRY(std::uint64_t count, parse_number(*n, kMaxPresignTopUp, "--count"));
    r.count = static_cast<std::uint32_t>(count);
  }
  if (auto p = args.get("path")) {
    auto path = parse_derivation_path(*p);
    if (!path) return make_error(ErrorKind::InvalidInput, "--path: " + path.error().message);
    r.path = *path;
  }
  if (auto root = args.get("taproot-root")) {
    TSIGN_TRY(r.taproot_root, parse_hex_array<32>(*root, "--taproot-root"));
  }
  r.use_presignature = args.has("presignature");
  if (r.operation == RequestOperation::Sign) {
    TSIGN_TRY(r.content, read_message(args));
  }
  TSIGN_CHECK(check_request_fields(r));
  sign_request(r, key);
  const std::string text = encode_request(r);
  Report report;
  if (auto out = args.get("out")) {
    TSIGN_CHECK(write_file_atomic(*out, as_bytes(text + "\n")));
    report.set("request_id", "request id", to_hex(r.id));
    report.set("file", "written to", *out);
  } else {
    report.json["request"] = Json::parse(text);
    report.lines.emplace_back("", text);
  }
  return report;
}

}  // namespace

Command requester_key_command() {
  return {"requester-key", "new Ed25519 key for a requester of the signer service", kKeyUsage, {{}, {"out", "id"}}, run_key};
}

Command request_command() {
  std::vector<std::string_view> options = {"cluster",    "requester-key", "requester", "operation", "key",
                                           "suite",      "threshold",     "parties",   "signers",   "old-quorum",
                                           "recovering", "epoch",         "group-key", "count",     "path",
                                           "taproot-root", "lifetime",    "out"};
  for (auto o : message_option_names()) options.push_back(o);
  return {"request", "signed request for the signer service (tsignd)", kUsage, {{"presignature"}, options}, run};
}

}  // namespace tsign::cli
