#pragma once
// The core of tsignd: one party's Vault serving signed requests (request.hpp) from a
// RequestSource, many at once.
//
// Each request is checked, in this order, and refused with an audited `denied` entry when it
// fails: it parses; its cluster id is this cluster's; its requester is listed in the cluster
// configuration, signed it, and may ask for its operation; it is neither expired nor dated
// beyond the clock-skew allowance in the future, nor valid for longer than max_lifetime; and its
// id was never taken before (SeenRequests, durable before the request is acted on). The Vault's
// own policy then decides on signatures and audits its own declines.
//
// Every party of an operation receives the same request and derives the same session labels
// from its id. Signing is robust (robust_sign.hpp): attempts with fresh nonces, each excluding
// the parties the last one named.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "tsign/custody/cluster.hpp"
#include "tsign/custody/vault.hpp"
#include "tsign/service/request_source.hpp"
#include "tsign/service/seen_requests.hpp"

namespace tsign {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 };
std::optional<LogLevel> log_level_from_string(std::string_view name);

struct ServiceOptions {
  std::filesystem::path state_dir;   // holds seen-requests
  std::size_t workers = 4;           // operations run at once
  std::size_t queue_limit = 64;      // waiting beyond the running ones; past it: "busy"
  std::chrono::seconds clock_skew{60};
  std::chrono::seconds max_lifetime{3600};
  std::size_t max_seen = 1'000'000;
  std::size_t max_sign_attempts = 6;
  std::chrono::milliseconds round_timeout{30'000};
  LogLevel log_level = LogLevel::Info;
  // One JSON object per call, no newline (default: a line on stderr).
  std::function<void(const std::string&)> log;
  // Unix seconds (default: the system clock).
  std::function<std::uint64_t()> clock;
};

// A fresh link for each operation (its own engine options); the service sets the round timeout,
// the abort signal and the identity keys.
using PeerLinkFactory = std::function<Result<std::unique_ptr<PeerLink>>()>;

class SignerService {
 public:
  SignerService(Vault& vault, Cluster cluster, PeerLinkFactory links, ServiceOptions options);
  // Opens the seen-request set and starts the workers.
  static Result<std::unique_ptr<SignerService>> start(Vault& vault, Cluster cluster, PeerLinkFactory links,
                                                      ServiceOptions options);
  ~SignerService();

  // Takes requests from `source` until stop(): each is queued for a worker, or answered "busy".
  void serve(RequestSource& source);
  // Stops taking requests, lets the running and queued ones finish within `grace` and aborts
  // them past it (the protocols end with an error, the vault records the failure), then joins
  // the workers. Safe to call from a signal-watching thread; a second call returns once the
  // first has finished.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(30));
  // One request, on the calling thread (checks, then the operation).
  ServiceResult handle(const std::string& text);

 private:
  Status open_state();
  void worker_loop();
  void submit(IncomingRequest request);

  struct Checked;
  Result<Checked> admit(const std::string& text, ServiceResult& result);
  ServiceResult refuse(ServiceResult result, const std::optional<KeyId>& key_id, std::string reason, std::string error);
  void log_line(LogLevel level, std::string_view event, const ServiceResult& result, std::string_view operation);
  std::uint64_t now() const;

  Vault& vault_;
  Cluster cluster_;
  std::string cluster_id_;
  PeerLinkFactory links_;
  ServiceOptions options_;
  std::optional<SeenRequests> seen_;
  std::mutex log_mutex_;

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<IncomingRequest> queue_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stopped_{false};
  std::mutex stop_mutex_;
  bool workers_done_ = false;  // under mutex_
  AbortSignal abort_;
};

}  // namespace tsign
