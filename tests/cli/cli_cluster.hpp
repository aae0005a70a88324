#pragma once
// A cluster of party directories for the CLI tests: `tsign init` for each party (cheapest
// Argon2id cost), a cluster configuration with free ports on 127.0.0.1, and helpers to run a
// command as several parties at once.
#include <string>
#include <vector>

#include "cli_harness.hpp"

namespace tsign::test {

class CliCluster {
 public:
  explicit CliCluster(std::size_t parties);

  const std::filesystem::path& scratch() const { return tmp_.path(); }
  std::filesystem::path dir(PartyId party) const { return tmp_ / ("party" + std::to_string(party)); }
  const std::filesystem::path& config() const { return config_; }
  std::map<std::string, std::string> env(PartyId party) const;
  const std::string& transport_key(PartyId party) const { return transport_keys_.at(party - 1); }
  const std::string& audit_key(PartyId party) const { return audit_keys_.at(party - 1); }

  // `tsign <command> --dir <party dir> --json --cluster <file> <args>` for one party.
  std::vector<std::string> args(PartyId party, const std::string& command, std::vector<std::string> rest,
                                bool with_cluster = true) const;
  RunResult run(PartyId party, const std::string& command, std::vector<std::string> rest, bool with_cluster = true,
                std::chrono::seconds deadline = std::chrono::seconds(60)) const;
  // The same command for each listed party, all at once.
  std::vector<RunResult> run_all(const std::vector<PartyId>& parties, const std::string& command,
                                 const std::vector<std::string>& rest,
                                 std::chrono::seconds deadline = std::chrono::seconds(90)) const;

 private:
  TempDir tmp_;
  std::filesystem::path config_;
  std::vector<std::string> transport_keys_, audit_keys_;
};

// "exit 3; stderr: ..." for failure messages.
std::string describe(const RunResult& r);

}  // namespace tsign::test
