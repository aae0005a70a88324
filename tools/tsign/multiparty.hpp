#pragma once
// What the multi-party commands share: the cluster and network options, session ids every
// participant derives alike, and the stage / confirm / commit sequence.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "network.hpp"
#include "party.hpp"
#include "stored_key.hpp"
#include "tsign/dkg/public_data.hpp"

namespace tsign::cli {

// --cluster FILE, --timeout SECONDS (per round; default 120), --listen HOST:PORT, --session LABEL.
std::vector<std::string_view> network_option_names();

Result<Network> start_network(const Args& args, const Cluster& cluster, const Party& party, std::vector<PartyId> participants,
                              const Context& context);

// The run's session id: the operation, the parties and whatever else the participants agree on,
// including the operator's --session label (required when `label_required`, since nothing else
// would tell two runs apart).
Result<SessionId> operation_session(const Args& args, std::string_view operation, const std::vector<PartyId>& parties,
                                    std::initializer_list<ByteSpan> context, bool label_required);

// The session of the commit barrier that follows `session`.
SessionId confirm_session(const SessionId& session, const std::vector<PartyId>& participants);

// Stages the new share, waits until every participant states the same `value`, then commits it
// (older epochs are wiped). If the barrier fails, the new epoch stays staged and the committed one
// untouched; the error says how to finish by hand (`tsign staged`).
Status stage_confirm_commit(Party& party, Network& network, const StoredKey& key, const SessionId& session,
                            const Digest32& value, const std::string& label);

// What every holder of an epoch agrees on, as the barrier's value.
template <PrimeOrderGroup G>
Digest32 public_data_digest(const KeyShare<G>& share) {
  return KeyPublicData<G>::of(share).digest();
}

// "the protocol produced nothing" guard for take_*() results.
template <class T>
Result<T> taken(Result<T> value, std::string_view what) {
  if (!value) return make_error(value.error().kind, std::string(what) + ": " + value.error().message, value.error().culprits);
  return value;
}

// The same for a protocol whose output may be empty (an ECDSA resharing dealer outside the new
// committee): here a share is expected.
template <class T>
Result<T> taken(Result<std::optional<T>> value, std::string_view what) {
  TSIGN_TRY(std::optional<T> out, taken<std::optional<T>>(std::move(value), what));
  if (!out) return make_error(ErrorKind::Internal, std::string(what) + ": the protocol produced no share");
  return std::move(*out);
}

}  // namespace tsign::cli
