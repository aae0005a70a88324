#pragma once
// Distributed key generation with no dealer (FROST KeyGen: Pedersen's DKG with Feldman
// commitments and a proof of knowledge of each constant term), for the FROST ciphersuites.
//
// Rounds (every party is both dealer and holder):
//   0  broadcast: commitment C_i to a random polynomial f_i of degree t-1, a proof of knowledge
//      of f_i(0) bound to this session, and a hash commitment to a random 32-byte contribution
//      to the chain code.
//   1  broadcast: echo of round 0 and the opened contribution; direct: f_i(j) to each party j.
//   2  broadcast: echo of round 1 and the party's verifying share s_j·G.
// Output (after round 2): s_j = Σ_i f_i(j), the verifying share of every party (each claim
// checked against Σ_i C_i), group key Σ_i C_i(0), chain code = hash of all contributions in party
// order, key id (keys/key_id.hpp), epoch 0.
//
// In every suite the share is of the key as generated. For the Taproot suite that is the
// internal key: FROST applies a BIP-341 tweak when signing (frost/taproot.hpp), and signing with
// TaprootTweak::no_scripts() gives exactly the output key ZcashFoundation/frost bakes into its
// key packages after its DKG (tests/dkg reproduces its vectors that way).
//
// Every check names the parties that broke it: a message that does not decode, a proof that
// fails, a contribution that does not open its commitment, a share that does not match its
// dealer's commitment, a verifying share that does not match the commitments, an echo that
// shows a broadcast differed between recipients. The party that finds a fault aborts and keeps
// nothing; since every party sends round 2 only after all its own checks passed, nobody can
// finish while another party has aborted. (The last round has no later round to echo it in:
// its consistency between recipients is the engine's echo step's to check.)
#include "tsign/protocol/session_id.hpp"
#include "tsign/protocol/protocol.hpp"
#include "tsign/frost/ciphersuite.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign {

struct DkgConfig {
  SessionId session{};           // unique per run and known to every party
  std::vector<PartyId> parties;  // every participant, ascending
  std::uint32_t threshold = 0;   // t, with 2 <= t <= n
};

template <FrostCiphersuite C>
class DkgProtocol final : public StateProtocol<KeyShare<typename C::Group>> {
 public:
  using Group = typename C::Group;
  static constexpr std::size_t kRounds = 3;

  static Result<DkgProtocol> create(PartyId self, DkgConfig config);

 private:
  using StateProtocol<KeyShare<Group>>::StateProtocol;
};

}  // namespace tsign
