#include "cli_cluster.hpp"

#include <catch2/catch.hpp>

namespace tsign::test {

namespace {
const std::string kPassphrase = "correct horse battery staple";
}  // namespace

std::string describe(const RunResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

CliCluster::CliCluster(std::size_t parties) {
  // Party 1 reads its passphrase from a file, the others from TSIGN_PASSPHRASE.
  write_text(tmp_ / "passphrase1", kPassphrase + "\n");
  const auto ports = free_ports(parties);
  std::string config = "# test cluster\nversion = 1\n";
  for (PartyId p = 1; p <= parties; ++p) {
    std::vector<std::string> init = {"init", "--dir", dir(p).string(), "--id", std::to_string(p), "--kdf-ops", "1",
                                     "--kdf-mem", "8", "--json"};
    if (p == 1) init.insert(init.end(), {"--passphrase-file", (tmp_ / "passphrase1").string()});
    const RunResult r = run_tsign(init, env(p), scratch());
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
    const auto j = r.json();
    transport_keys_.push_back(j["transport_key"].get<std::string>());
    audit_keys_.push_back(j["audit_key"].get<std::string>());
    config += "party = " + std::to_string(p) + " 127.0.0.1:" + std::to_string(ports[p - 1]) + " " +
              transport_keys_.back() + " " + audit_keys_.back() + "\n";
  }
  config_ = tmp_ / "cluster.conf";
  write_text(config_, config);
}

std::map<std::string, std::string> CliCluster::env(PartyId party) const {
  if (party == 1) return {{"TSIGN_TEST_PARTY", "1"}};
  return {{"TSIGN_PASSPHRASE", kPassphrase}};
}

std::vector<std::string> CliCluster::args(PartyId party, const std::string& command, std::vector<std::string> rest,
                                          bool with_cluster) const {
  std::vector<std::string> out;
  if (command == "audit") {
    out = {"audit", "verify"};
  } else {
    out = {command};
  }
  out.insert(out.end(), {"--dir", dir(party).string(), "--json"});
  if (party == 1 && command != "list" && command != "audit") {
    out.insert(out.end(), {"--passphrase-file", (tmp_ / "passphrase1").string()});
  }
  if (with_cluster) out.insert(out.end(), {"--cluster", config_.string()});
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

RunResult CliCluster::run(PartyId party, const std::string& command, std::vector<std::string> rest, bool with_cluster,
                          std::chrono::seconds deadline) const {
  return run_tsign(args(party, command, std::move(rest), with_cluster), env(party), scratch(), deadline);
}

std::vector<RunResult> CliCluster::run_all(const std::vector<PartyId>& parties, const std::string& command,
                                           const std::vector<std::string>& rest, std::chrono::seconds deadline) const {
  std::vector<std::vector<std::string>> all_args;
  std::vector<std::map<std::string, std::string>> all_env;
  for (PartyId p : parties) {
    all_args.push_back(args(p, command, rest));
    all_env.push_back(env(p));
  }
  return run_together(all_args, all_env, scratch(), deadline);
}

}  // namespace tsign::test
