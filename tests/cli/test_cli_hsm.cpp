// The HSM option end to end: one party's shares are sealed by a SoftHSM2 token, the others' by
// their passphrases, and the key signs as any other.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "cli_cluster.hpp"
#include "support/independent_verify.hpp"

namespace tsign::test {

TEST_CASE("tsign with an HSM: a party's shares sealed by a PKCS#11 token", "[cli]") {
  CliCluster cluster(3);
  const auto tokens = cluster.scratch() / "tokens";
  std::filesystem::create_directories(tokens);
  const auto conf = cluster.scratch() / "softhsm2.conf";
  write_text(conf, "directories.tokendir = " + tokens.string() + "\nobjectstore.backend = file\n");
  const std::string init = "SOFTHSM2_CONF=" + conf.string() +
                           " softhsm2-util --init-token --free --label tsign-cli --pin 4321 --so-pin 8765 > /dev/null";
  REQUIRE(std::system(init.c_str()) == 0);

  auto hsm_env = cluster.env(1);
  hsm_env["SOFTHSM2_CONF"] = conf.string();
  hsm_env["TSIGN_HSM_PIN"] = "4321";
  const std::vector<std::string> hsm = {"--hsm-token", "tsign-cli", "--hsm-key", "party1-shares"};
  auto with_hsm = [&](std::vector<std::string> args) {
    args.insert(args.end(), hsm.begin(), hsm.end());
    return args;
  };

  const std::vector<std::string> keygen = {"--suite", "frost-secp256k1", "--threshold", "2", "--session", "hsm", "--timeout", "30"};
  const auto generated = run_together({with_hsm(cluster.args(1, "keygen", keygen)), cluster.args(2, "keygen", keygen),
                                       cluster.args(3, "keygen", keygen)},
                                      {hsm_env, cluster.env(2), cluster.env(3)}, cluster.scratch(), std::chrono::seconds(90));
  for (const auto& r : generated) {
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
  }
  const std::string key_id = generated[0].json()["key_id"].get<std::string>();
  const std::string public_key = generated[0].json()["public_key"].get<std::string>();

  const std::vector<std::string> sign = {"--key", key_id, "--signers", "1,3", "--message", "hsm", "--timeout", "30"};
  const auto signed_ = run_together({with_hsm(cluster.args(1, "sign", sign)), cluster.args(3, "sign", sign)},
                                    {hsm_env, cluster.env(3)}, cluster.scratch(), std::chrono::seconds(90));
  for (const auto& r : signed_) {
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
  }
  CHECK(frost_secp256k1_verifies(public_key, as_bytes(std::string("hsm")), signed_[0].json()["signature"].get<std::string>()));

  // Without the token the share cannot be opened; with a wrong PIN the token refuses.
  const RunResult no_token = cluster.run(1, "pubkey", {"--key", key_id}, false);
  INFO(describe(no_token));
  CHECK(no_token.exit_code == 2);
  auto wrong_pin = hsm_env;
  wrong_pin["TSIGN_HSM_PIN"] = "0000";
  const RunResult refused = run_tsign(with_hsm(cluster.args(1, "pubkey", {"--key", key_id}, false)), wrong_pin, cluster.scratch());
  INFO(describe(refused));
  CHECK(refused.exit_code == 5);
  CHECK(run_tsign(with_hsm(cluster.args(1, "pubkey", {"--key", key_id}, false)), hsm_env, cluster.scratch()).exit_code == 0);
}

}  // namespace tsign::test
