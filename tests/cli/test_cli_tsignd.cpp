// tsignd end to end: three daemons over TCP take requests made by `tsign request` from their
// spool directories, generate a key and sign; a replayed request is refused; SIGTERM stops them.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "cli_cluster.hpp"
#include "support/independent_verify.hpp"

namespace tsign::test {

namespace {

// Puts the request file into each party's spool and waits for every result.
std::map<PartyId, nlohmann::json> submit(const CliCluster& cluster, const std::filesystem::path& request,
                                         const std::string& name) {
  const std::string text = read_text(request);
  for (PartyId p : {1u, 2u, 3u}) {
    const auto spool = cluster.scratch() / ("spool" + std::to_string(p));
    write_text(spool / "staging", text);
    std::filesystem::rename(spool / "staging", spool / "incoming" / name);
  }
  std::map<PartyId, nlohmann::json> results;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (results.size() < 3 && std::chrono::steady_clock::now() < deadline) {
    for (PartyId p : {1u, 2u, 3u}) {
      const auto file = cluster.scratch() / ("spool" + std::to_string(p)) / "results" / name;
      if (results.count(p) == 0 && std::filesystem::exists(file)) results[p] = nlohmann::json::parse(read_text(file));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(results.size() == 3);
  return results;
}

}  // namespace

TEST_CASE("cli: tsignd serves keygen and sign requests from its spool and stops on SIGTERM") {
  CliCluster cluster(3);
  const auto key_file = cluster.scratch() / "app.key";
  const RunResult made = run_tsign({"requester-key", "--out", key_file.string(), "--id", "app", "--json"}, {}, cluster.scratch());
  REQUIRE(made.exit_code == 0);
  std::string line = made.json()["cluster_line"].get<std::string>();
  line.replace(line.rfind(' ') + 1, std::string::npos, "keygen,sign,health");
  write_text(cluster.config(), read_text(cluster.config()) + line + "\n");

  std::vector<std::unique_ptr<TsignProcess>> daemons;
  for (PartyId p : {1u, 2u, 3u}) {
    const auto conf = cluster.scratch() / ("tsignd" + std::to_string(p) + ".conf");
    std::string text = "version = 1\nvault = " + cluster.dir(p).string() + "\ncluster = " + cluster.config().string();
    text += "\nstate = " + (cluster.scratch() / ("state" + std::to_string(p))).string();
    text += "\nspool = " + (cluster.scratch() / ("spool" + std::to_string(p))).string();
    text += "\npassphrase_file = " + (cluster.scratch() / "passphrase1").string() + "\nround_timeout = 20\n";
    write_text(conf, text);
    daemons.push_back(std::make_unique<TsignProcess>(std::vector<std::string>{"--config", conf.string()},
                                                     std::map<std::string, std::string>{}, cluster.scratch(),
                                                     std::chrono::seconds(120), tsignd_binary()));
  }
  for (PartyId p : {1u, 2u, 3u}) {
    const auto incoming = cluster.scratch() / ("spool" + std::to_string(p)) / "incoming";
    for (int i = 0; i < 100 && !std::filesystem::exists(incoming); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::vector<std::string> common = {"--cluster", cluster.config().string(), "--requester-key", key_file.string(),
                                           "--requester", "app", "--json"};
  auto request = [&](std::vector<std::string> rest, const std::string& out) {
    std::vector<std::string> args = {"request"};
    args.insert(args.end(), common.begin(), common.end());
    args.insert(args.end(), rest.begin(), rest.end());
    args.insert(args.end(), {"--out", (cluster.scratch() / out).string()});
    const RunResult r = run_tsign(args, {}, cluster.scratch());
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
    return cluster.scratch() / out;
  };

  auto keygen = submit(cluster, request({"--operation", "keygen", "--suite", "frost-secp256k1-tr", "--threshold", "2",
                                         "--parties", "1,2,3"}, "keygen.json"), "keygen.json");
  for (auto& [p, r] : keygen) {
    INFO(r.dump());
    REQUIRE(r["status"] == "ok");
  }
  const std::string key = keygen.at(1)["key"];
  const std::string public_key = keygen.at(1)["public_key"];

  const auto sign_file = request({"--operation", "sign", "--key", key, "--message", "pay 1 BTC to alice"}, "sign.json");
  auto signed_by = submit(cluster, sign_file, "sign.json");
  for (auto& [p, r] : signed_by) {
    INFO(r.dump());
    REQUIRE(r["status"] == "ok");
    CHECK(bip340_verifies(public_key, as_bytes(std::string_view("pay 1 BTC to alice")), r["signature"]));
  }
  auto replayed = submit(cluster, sign_file, "sign-again.json");
  for (auto& [p, r] : replayed) CHECK(r["reason"] == "replay");

  for (auto& d : daemons) d->signal(SIGTERM);
  for (auto& d : daemons) {
    const RunResult r = d->wait();
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("\"event\":\"request_finished\""));
  }
}

}  // namespace tsign::test
