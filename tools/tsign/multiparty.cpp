#include "multiparty.hpp"

#include "parse.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign::cli {

std::vector<std::string_view> network_option_names() { return {"cluster", "timeout", "listen", "session"}; }

Result<Network> start_network(const Args& args, const Cluster& cluster, const Party& party,
                              std::vector<PartyId> participants, const Context& context) {
  NetworkOptions options;
  if (auto timeout = args.get("timeout")) {
    TSIGN_TRY(options.round_timeout, parse_seconds(*timeout, "--timeout"));
  }
  if (auto listen = args.get("listen")) {
    auto address = parse_host_port(*listen, true);
    if (!address) return make_error(ErrorKind::InvalidInput, "--listen: " + address.error().message);
    options.listen = *address;
  }
  return Network::start(cluster, party.id, party.transport_key, std::move(participants), options, context.progress);
}

Result<SessionId> operation_session(const Args& args, std::string_view operation, const std::vector<PartyId>& parties,
                                    std::initializer_list<ByteSpan> context, bool label_required) {
  const auto label = args.get("session");
  if (!label && label_required) {
    throw UsageError("missing --session: a label every participant passes alike, new for every run");
  }
  if (label && (label->empty() || label->size() > 256)) {
    return make_error(ErrorKind::InvalidInput, "--session: 1 to 256 characters");
  }
  Writer w;
  w.str(label.value_or(""));
  for (ByteSpan part : context) w.var(part);
  return derive_session_id("tsign/" + std::string(operation), parties, w.bytes());
}

SessionId confirm_session(const SessionId& session, const std::vector<PartyId>& participants) {
  return derive_session_id("tsign/confirm", participants, session);
}

Status stage_confirm_commit(Party& party, Network& network, const StoredKey& key, const SessionId& session,
                            const Digest32& value, const std::string& label) {
  TSIGN_CHECK(stage_stored_key(party.store, key, *party.protector));
  Status confirmed = network.confirm(confirm_session(session, network.participants()), value, label);
  if (!confirmed) {
    const Error& e = confirmed.error();
    return make_error(e.kind,
                      e.message + "; epoch " + std::to_string(key.header.epoch) +
                          " is staged but not committed (a committed earlier epoch stays in use). Once every party is known "
                          "to hold it, run `tsign staged --key " + to_hex(key.header.key_id) + " --commit`; otherwise `--discard`",
                      e.culprits);
  }
  return party.store.commit(key.header.key_id, key.header.epoch);
}

}  // namespace tsign::cli
