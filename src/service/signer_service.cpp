#include "tsign/service/signer_service.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "operations.hpp"

namespace tsign {

namespace {

constexpr std::chrono::milliseconds kSourcePoll{100};

std::uint64_t system_seconds() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
  }
  return "info";
}

}  // namespace

std::optional<LogLevel> log_level_from_string(std::string_view name) {
  for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error}) {
    if (name == to_string(level)) return level;
  }
  return std::nullopt;
}

struct SignerService::Checked {
  ServiceRequest request;
};

SignerService::SignerService(Vault& vault, Cluster cluster, PeerLinkFactory links, ServiceOptions options)
    : vault_(vault), cluster_(std::move(cluster)), cluster_id_(cluster_.cluster_id()), links_(std::move(links)),
      options_(std::move(options)) {
  if (!options_.clock) options_.clock = system_seconds;
  if (!options_.log) options_.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  if (options_.workers == 0) options_.workers = 1;
}

Result<std::unique_ptr<SignerService>> SignerService::start(Vault& vault, Cluster cluster, PeerLinkFactory links,
                                                            ServiceOptions options) {
  auto service = std::make_unique<SignerService>(vault, std::move(cluster), std::move(links), std::move(options));
  TSIGN_CHECK(service->open_state());
  for (std::size_t i = 0; i < service->options_.workers; ++i) {
    service->workers_.emplace_back([s = service.get()] { s->worker_loop(); });
  }
  return service;
}

SignerService::~SignerService() { stop(std::chrono::milliseconds(0)); }

Status SignerService::open_state() {
  std::error_code ec;
  std::filesystem::create_directories(options_.state_dir, ec);
  if (ec) return make_error(ErrorKind::Storage, "state directory " + options_.state_dir.string() + ": " + ec.message());
  TSIGN_TRY(SeenRequests seen, SeenRequests::open(options_.state_dir / "seen-requests", now(), options_.max_seen));
  seen_.emplace(std::move(seen));
  return {};
}

std::uint64_t SignerService::now() const { return options_.clock(); }

void SignerService::serve(RequestSource& source) {
  std::uint64_t last_prune = now();
  while (!stopping_.load()) {
    auto incoming = source.next(kSourcePoll);
    if (incoming) submit(std::move(*incoming));
    if (now() > last_prune + 60 && seen_) {
      last_prune = now();
      if (auto pruned = seen_->prune(last_prune); !pruned) {
        ServiceResult none;
        none.error = pruned.error().message;
        log_line(LogLevel::Warn, "prune_failed", none, "");
      }
    }
  }
}

void SignerService::submit(IncomingRequest incoming) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_.load() && queue_.size() < options_.queue_limit) {
      queue_.push_back(std::move(incoming));
      work_ready_.notify_one();
      return;
    }
  }
  // Over the limit or shutting down: answered at once, nothing recorded (the request was not
  // authenticated, and the requester may send it again later).
  ServiceResult busy;
  busy.party = vault_.id();
  busy.status = ResultStatus::Declined;
  busy.reason = stopping_.load() ? "shutting_down" : "busy";
  busy.error = stopping_.load() ? "the service is shutting down" : "too many requests are waiting; try again later";
  log_line(LogLevel::Warn, "request_busy", busy, "");
  if (incoming.reply) incoming.reply(busy);
}

void SignerService::worker_loop() {
  while (true) {
    IncomingRequest incoming;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [this] { return stopping_.load() || !queue_.empty(); });
      if (queue_.empty()) return;
      incoming = std::move(queue_.front());
      queue_.pop_front();
    }
    ServiceResult result = handle(incoming.text);
    if (incoming.reply) incoming.reply(result);
  }
}

void SignerService::stop(std::chrono::milliseconds grace) {
  // A second caller waits here until the first has finished.
  std::lock_guard stopping(stop_mutex_);
  if (stopped_.exchange(true)) return;
  stopping_.store(true);
  work_ready_.notify_all();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  // Queued requests still run (the workers drain the queue before they return); past the grace
  // period every running protocol is aborted and ends with an error its vault records.
  std::thread aborter([this, deadline] {
    std::unique_lock lock(mutex_);
    while (std::chrono::steady_clock::now() < deadline && !workers_done_) {
      work_ready_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + kSourcePoll));
    }
    if (!workers_done_) abort_.request("the service is shutting down");
  });
  for (std::thread& w : workers_) {
    if (w.joinable()) w.join();
  }
  {
    std::lock_guard lock(mutex_);
    workers_done_ = true;
  }
  work_ready_.notify_all();
  aborter.join();
}

Result<SignerService::Checked> SignerService::admit(const std::string& text, ServiceResult& result) {
  auto decoded = decode_request(text);
  if (!decoded) {
    result = refuse(std::move(result), std::nullopt, "malformed", decoded.error().message);
    return decoded.error();
  }
  ServiceRequest& r = *decoded;
  result.request_id = r.id;
  result.key_id = r.key_id;
  const auto refuse_with = [&](std::string reason, std::string error) -> Error {
    result = refuse(std::move(result), r.key_id, std::move(reason), error);
    return make_error(ErrorKind::InvalidInput, std::move(error));
  };
  if (r.cluster_id != cluster_id_) return refuse_with("wrong_cluster", "the request names another cluster");
  const Requester* requester = cluster_.requester(r.requester);
  if (requester == nullptr) return refuse_with("unknown_requester", "the requester is not in the cluster configuration");
  if (!request_signature_valid(r, requester->public_key)) {
    return refuse_with("bad_signature", "the request's signature does not verify under the requester's key");
  }
  if (!requester->allows(to_string(r.operation))) {
    return refuse_with("operation_not_allowed", "the requester may not ask for this operation");
  }
  const std::uint64_t t = now();
  const auto skew = static_cast<std::uint64_t>(options_.clock_skew.count());
  if (r.expires_at + skew < t) return refuse_with("expired", "the request has expired");
  if (r.created_at > t + skew) return refuse_with("future_dated", "the request is dated in the future");
  if (r.expires_at - r.created_at > static_cast<std::uint64_t>(options_.max_lifetime.count())) {
    return refuse_with("lifetime_too_long", "the request is valid for longer than the service allows");
  }
  // Recorded (and fsynced) before anything is done: a replay is refused, even after a restart.
  auto fresh = seen_->insert(r.id, r.expires_at + skew);
  if (!fresh) return refuse_with("unavailable", fresh.error().message);
  if (!*fresh) return refuse_with("replay", "the request id was taken already");
  return Checked{std::move(r)};
}

ServiceResult SignerService::refuse(ServiceResult result, const std::optional<KeyId>& key_id, std::string reason,
                                    std::string error) {
  result.party = vault_.id();
  result.status = ResultStatus::Declined;
  result.reason = std::move(reason);
  result.error = std::move(error);
  std::string details = "service refused request ";
  details += result.request_id.empty() ? std::string("(unparsed)") : to_hex(result.request_id);
  details += ": ";
  details += result.reason;
  auto entry = vault_.record_refusal(key_id.value_or(KeyId{}), details);
  if (entry) {
    result.audit_sequence = entry->sequence;
  } else {
    result.status = ResultStatus::Failed;
    result.error += "; the refusal could not be recorded: ";
    result.error += entry.error().message;
  }
  log_line(LogLevel::Warn, "request_refused", result, "");
  return result;
}

ServiceResult SignerService::handle(const std::string& text) {
  ServiceResult result;
  result.party = vault_.id();
  auto checked = admit(text, result);
  if (!checked) return result;
  const ServiceRequest& request = checked->request;
  const std::string_view operation = to_string(request.operation);
  log_line(LogLevel::Info, "request_started", result, operation);

  auto link = links_();
  if (!link) {
    result.status = ResultStatus::Failed;
    result.reason = "transport";
    result.error = link.error().message;
  } else {
    PeerLink& peers = **link;
    peers.engine.round_timeout = options_.round_timeout;
    peers.engine.abort = &abort_;
    for (const ClusterMember& m : cluster_.members) peers.identity_keys[m.id] = m.audit_key;
    service_internal::run_operation(vault_, peers, request, options_.max_sign_attempts, result);
  }
  if (result.status == ResultStatus::Ok && request.operation != RequestOperation::Health) {
    const AuditHead head = vault_.audit_head();
    if (head.count > 0) result.audit_sequence = head.count - 1;
  }
  const LogLevel level = result.status == ResultStatus::Ok ? LogLevel::Info : LogLevel::Warn;
  log_line(level, "request_finished", result, operation);
  return result;
}

void SignerService::log_line(LogLevel level, std::string_view event, const ServiceResult& result,
                             std::string_view operation) {
  if (level < options_.log_level) return;
  nlohmann::json line = nlohmann::json::object();
  line["time"] = now();
  line["level"] = to_string(level);
  line["event"] = event;
  line["party"] = vault_.id();
  if (!result.request_id.empty()) line["request"] = to_hex(result.request_id);
  if (!operation.empty()) line["operation"] = operation;
  if (result.key_id) line["key"] = to_hex(*result.key_id);
  if (event == "request_finished" || event == "request_refused" || event == "request_busy") {
    line["outcome"] = to_string(result.status);
    if (!result.reason.empty()) line["reason"] = result.reason;
  }
  if (!result.culprits.empty()) line["culprits"] = result.culprits;
  if (result.attempts != 0) line["attempts"] = result.attempts;
  // Error texts may quote what a requester or peer sent: dump() escapes every control character
  // and replaces invalid UTF-8.
  if (!result.error.empty()) line["error"] = result.error.substr(0, 512);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(log_mutex_);
  options_.log(text);
}

}  // namespace tsign
