// tsignd: one party's long-running signer. It serves signed requests (docs/requests.md) with its
// vault, reaching the other parties over TCP (the cluster configuration), until SIGTERM or SIGINT.
//
//   tsignd --config /etc/tsignd.conf
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "daemon_config.hpp"
#include "passphrase.hpp"
#include "spool_source.hpp"
#include "tsign/custody/process.hpp"

namespace tsign::daemon {

namespace {

constexpr std::chrono::seconds kShutdownGrace{30};
constexpr std::chrono::milliseconds kFlushTimeout{5000};

void print_line(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

int fail(const std::string& what, const Error& error) {
  std::string line = "tsignd: ";
  line += what;
  line += ": ";
  line += error.describe();
  print_line(line);
  return 1;
}

int run(const std::filesystem::path& config_file) {
  auto config = load_daemon_config(config_file);
  if (!config) return fail("configuration", config.error());
  auto cluster = load_cluster(config->cluster);
  if (!cluster) return fail("cluster", cluster.error());
  auto passphrase = cli::read_passphrase(config->passphrase_file, "Passphrase: ", false);
  if (!passphrase) return fail("passphrase", passphrase.error());
  auto vault = Vault::open(config->vault, VaultUnlock(std::move(passphrase).value()));
  if (!vault) return fail("vault", vault.error());
  auto network = network_config(*cluster, vault->id(), vault->transport_key(), cluster->ids());
  if (!network) return fail("network", network.error());
  auto node = TcpNode::start(std::move(network).value());
  if (!node) return fail("network", node.error());
  TcpNode& tcp = **node;
  PeerLinkFactory links = [&tcp]() -> Result<std::unique_ptr<PeerLink>> {
    return std::unique_ptr<PeerLink>(std::make_unique<TcpPeerLink>(tcp));
  };
  auto source = SpoolSource::open(config->spool, print_line);
  if (!source) return fail("spool", source.error());
  auto service = SignerService::start(*vault, *cluster, std::move(links), config->service);
  if (!service) return fail("service", service.error());

  // SIGTERM and SIGINT (blocked in every thread since main) are taken by this thread only.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  SignerService& signer = **service;
  std::thread watcher([&signer, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    print_line(R"({"level":"info","event":"shutdown_requested"})");
    signer.stop(kShutdownGrace);
  });
  watcher.detach();
  print_line(R"({"level":"info","event":"started"})");
  signer.serve(*source);
  signer.stop(kShutdownGrace);  // waits for the watcher's stop when it began one
  (void)tcp.flush(kFlushTimeout);
  print_line(R"({"level":"info","event":"stopped"})");
  return 0;
}

}  // namespace

}  // namespace tsign::daemon

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--config") != 0) {
    std::fprintf(stderr, "usage: tsignd --config FILE   (docs/requests.md)\n");
    return 2;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  if (auto hardened = tsign::harden_process(); !hardened) {
    std::fprintf(stderr, "tsignd: %s\n", hardened.error().message.c_str());
    return 1;
  }
  return tsign::daemon::run(argv[2]);
}
