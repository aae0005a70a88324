#pragma once
// The durable record of OT check attempts (ot/pair_guard.hpp) as files in one directory:
//
//   <dir>/<fingerprint, 64 hex>.attempt    a check began; removed once it passed
//   <dir>/<fingerprint, 64 hex>.disabled   a check failed, or an attempt was found unfinished
//
// Either file disables the pair for every share file and backup that holds the same OT state.
// Each record is written with write_file_atomic (file and directory fsynced) before the check
// it guards runs.
#include <filesystem>
#include <memory>

#include "tsign/ot/pair_guard.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign {

class FileCheckJournal final : public ot::CheckJournal {
 public:
  struct Options {
    // Fault injection for tests: "check:recorded" once an attempt is durable.
    StepHook on_step;
  };

  // Creates the directory (mode 0700) if it is missing.
  static Result<std::shared_ptr<FileCheckJournal>> open(std::filesystem::path dir, Options options = {});

  Result<bool> disabled(const ot::PairFingerprint& pair) override;
  Status begin(const ot::PairFingerprint& pair) override;
  void passed(const ot::PairFingerprint& pair) override;
  Status failed(const ot::PairFingerprint& pair) override;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  FileCheckJournal(std::filesystem::path dir, Options options) : dir_(std::move(dir)), options_(std::move(options)) {}
  std::filesystem::path record(const ot::PairFingerprint& pair, std::string_view kind) const;

  std::filesystem::path dir_;
  Options options_;
};

}  // namespace tsign
