// A party's files in text and binary: the sealed identity (unsealed only when it asks the cheapest
// Argon2id cost, so the fuzzer stays fast; the cost bound itself is tested in tests/cli),
// identity.pub and the cluster configuration. Hostile bytes never crash; a public identity that
// parses formats back to text that parses to the same keys.
#include <cstdlib>

#include "tsign/custody/cluster.hpp"
#include "tsign/custody/identity_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tsign;
  const ByteSpan input(data, size);
  if (auto header = read_identity_header(input); header.ok() && header->kdf == Argon2Params::minimal()) {
    (void)unseal_identity(input, SecretBytes::copy_of(as_bytes("fuzz")));
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto identity = parse_public_identity(text); identity.ok()) {
    auto again = parse_public_identity(format_public_identity(*identity));
    if (!again.ok() || again->id != identity->id || again->transport_key != identity->transport_key ||
        again->audit_key != identity->audit_key) {
      std::abort();
    }
  }
  if (auto cluster = parse_cluster(text); cluster.ok()) {
    if (cluster->members.empty() || !std::is_sorted(cluster->members.begin(), cluster->members.end(),
                                                    [](const auto& a, const auto& b) { return a.id < b.id; })) {
      std::abort();
    }
  }
  return 0;
}
