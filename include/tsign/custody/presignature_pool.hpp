#pragma once
// ECDSA presignatures kept between runs, sealed like share files and single use:
//
//   <dir>/<key id, 64 hex>/<epoch>-<presignature id, 64 hex>.presig   sealed (KeyProtector) under
//                                                                     the key's share header
//   <dir>/<key id, 64 hex>/<presignature id, 64 hex>.used             the record that it was taken
//
// take() writes the .used record durably and wipes the sealed file before it hands the
// presignature out, so a crash can lose a presignature but never let one sign twice; a sealed
// file put back later is refused by its record. A presignature serves only the epoch it was made
// in: a refresh or resharing purges the key's pool, and an entry of another epoch is refused.
#include <filesystem>
#include <vector>

#include "tsign/ecdsa/presign.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/sealed_share.hpp"

namespace tsign {

class PresignaturePool {
 public:
  struct Options {
    // Fault injection for tests: "presignature:recorded" once the .used record is durable.
    StepHook on_step;
  };
  inline static constexpr std::size_t kMaxPerKey = 4096;

  // Creates the directory (mode 0700) if it is missing.
  static Result<PresignaturePool> open(std::filesystem::path dir, Options options = {});

  // Seals `presignature` (made with the key whose committed share has `key_header`) into the pool.
  Status add(const ShareHeader& key_header, Presignature&& presignature, KeyProtector& protector);

  struct Entry {
    Digest32 id{};
    std::uint64_t epoch = 0;
  };
  // The unused presignatures of a key, of every epoch still on disk.
  Result<std::vector<Entry>> list(const KeyId& key_id) const;

  // The presignature `id` of the key at `key_header`'s epoch, taken out of the pool for good.
  // InvalidInput when it is missing, used, of another epoch, or made for another party.
  Result<Presignature> take(const ShareHeader& key_header, const Digest32& id, KeyProtector& protector);

  // Wipes every presignature and record of the key (a refresh, resharing or decommission).
  Status purge(const KeyId& key_id);

 private:
  PresignaturePool(std::filesystem::path dir, Options options) : dir_(std::move(dir)), options_(std::move(options)) {}
  std::filesystem::path key_dir(const KeyId& key_id) const;

  std::filesystem::path dir_;
  Options options_;
};

}  // namespace tsign
