// NatsNode: the NATS client library's side of the transport (connection, TLS, credentials,
// subscription, callbacks) around NatsCore, which holds the links and sessions.
#include <nats/nats.h>

#include <condition_variable>
#include <thread>

#include "broker/nats_core.hpp"
#include "tsign/broker/nats_transport.hpp"

namespace tsign {

namespace {

Error nats_error(const std::string& what, natsStatus s) {
  std::string text = "NATS: ";
  text += what;
  text += ": ";
  text += natsStatus_GetText(s);
  return make_error(ErrorKind::Transport, text);
}

bool valid_prefix(const std::string& prefix) {
  if (prefix.empty() || prefix.front() == '.' || prefix.back() == '.') return false;
  for (char c : prefix) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return prefix.find("..") == std::string::npos;
}

// The host of the first URL in a list: "tls://user@host:4222,..." -> "host".
std::string first_host(const std::string& urls) {
  std::string url = urls.substr(0, urls.find(','));
  if (auto scheme = url.find("://"); scheme != std::string::npos) url = url.substr(scheme + 3);
  if (auto at = url.rfind('@'); at != std::string::npos) url = url.substr(at + 1);
  if (!url.empty() && url.front() == '[') return url.substr(1, url.find(']') - 1);
  return url.substr(0, url.find(':'));
}

int clamp_int(std::size_t v) { return static_cast<int>(std::min<std::size_t>(v, 0x7fffffff)); }

}  // namespace

// The connection and the threads around the core. Destroyed in order: timers stop, the
// subscription ends (after its last callback returned), the connection closes.
class NatsCoreHandle {
 public:
  std::shared_ptr<NatsCore> core;
  natsConnection* connection = nullptr;
  natsSubscription* subscription = nullptr;
  std::thread ticker;
  std::mutex mutex;
  std::condition_variable cv;
  bool stopping = false;
  bool subscription_done = false;
  bool connection_closed = false;

  ~NatsCoreHandle() {
    core->stop();
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    cv.notify_all();
    if (ticker.joinable()) ticker.join();
    if (subscription != nullptr) {
      if (natsSubscription_Unsubscribe(subscription) == NATS_OK) wait_for(subscription_done);
      natsSubscription_Destroy(subscription);
    }
    if (connection != nullptr) {
      natsConnection_Close(connection);
      wait_for(connection_closed);
      natsConnection_Destroy(connection);
    }
  }

  void wait_for(bool& flag) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return flag; });
  }
  void set(bool& flag) {
    {
      std::lock_guard lock(mutex);
      flag = true;
    }
    cv.notify_all();
  }

  static void on_message(natsConnection*, natsSubscription* sub, natsMsg* msg, void* closure) {
    auto* self = static_cast<NatsCoreHandle*>(closure);
    const auto* data = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg));
    const auto size = static_cast<std::size_t>(natsMsg_GetDataLength(msg));
    int waiting = 0;
    natsSubscription_GetPending(sub, &waiting, nullptr);
    self->core->on_frame(ByteSpan(data, size), waiting <= 0);
    natsMsg_Destroy(msg);
  }
  static void on_subscription_done(void* closure) {
    auto* self = static_cast<NatsCoreHandle*>(closure);
    self->set(self->subscription_done);
  }
  static void on_disconnected(natsConnection*, void* closure) { static_cast<NatsCoreHandle*>(closure)->core->on_broker_lost(); }
  static void on_reconnected(natsConnection*, void* closure) { static_cast<NatsCoreHandle*>(closure)->core->on_broker_back(); }
  static void on_closed(natsConnection*, void* closure) {
    auto* self = static_cast<NatsCoreHandle*>(closure);
    self->set(self->connection_closed);
  }
};

namespace {

struct OptionsGuard {
  natsOptions* opts = nullptr;
  ~OptionsGuard() { natsOptions_Destroy(opts); }
};

Status configure(natsOptions* o, const NatsOptions& options, NatsCoreHandle* handle, PartyId self) {
  natsStatus s = natsOptions_SetURL(o, options.url.c_str());
  if (s != NATS_OK) return nats_error("broker URL", s);
  if ((s = natsOptions_SetSecure(o, true)) != NATS_OK) return nats_error("TLS", s);
  s = natsOptions_LoadCATrustedCertificates(o, options.ca_file.c_str());
  if (s != NATS_OK) return nats_error("cannot load the broker's CA from " + options.ca_file.string(), s);
  // Without a name the client checks only that the CA signed the certificate.
  const std::string server_name = options.tls_server_name.empty() ? first_host(options.url) : options.tls_server_name;
  if ((s = natsOptions_SetExpectedHostname(o, server_name.c_str())) != NATS_OK) return nats_error("TLS server name", s);
  if (!options.credentials_file.empty()) {
    s = natsOptions_SetUserCredentialsFromFiles(o, options.credentials_file.c_str(), nullptr);
  } else {
    s = natsOptions_SetNKeyFromSeed(o, options.nkey_public.c_str(), options.nkey_seed_file.c_str());
  }
  if (s != NATS_OK) return nats_error("credentials", s);
  const std::string name = "tsign party " + std::to_string(self);
  natsOptions_SetName(o, name.c_str());
  natsOptions_SetTimeout(o, options.connect_timeout.count());
  natsOptions_SetAllowReconnect(o, true);
  natsOptions_SetMaxReconnect(o, -1);  // a signer waits for its broker for as long as it runs
  natsOptions_SetReconnectWait(o, options.reconnect_wait.count());
  natsOptions_SetReconnectBufSize(o, clamp_int(options.reconnect_buffer_bytes));
  natsOptions_SetMaxPendingMsgs(o, clamp_int(options.max_inbound_messages));
  natsOptions_SetDisconnectedCB(o, &NatsCoreHandle::on_disconnected, handle);
  natsOptions_SetReconnectedCB(o, &NatsCoreHandle::on_reconnected, handle);
  natsOptions_SetClosedCB(o, &NatsCoreHandle::on_closed, handle);
  return {};
}

}  // namespace

Result<std::unique_ptr<NatsNode>> NatsNode::start(PartyConfig config, NatsOptions options) {
  if (config.id == 0 || config.peers.empty()) {
    return make_error(ErrorKind::InvalidInput, "NATS node: configuration needs an id and at least one peer");
  }
  if (options.url.empty() || options.ca_file.empty()) {
    return make_error(ErrorKind::InvalidInput, "NATS node: the broker's URL and CA file are required (TLS only)");
  }
  const bool nkey = !options.nkey_public.empty() && !options.nkey_seed_file.empty();
  if (nkey == !options.credentials_file.empty()) {
    return make_error(ErrorKind::InvalidInput,
                      "NATS node: give either an NKey (public key and seed file) or a credentials file");
  }
  if (!valid_prefix(options.subject_prefix)) {
    return make_error(ErrorKind::InvalidInput, "NATS node: subject prefix of letters, digits, '-', '_' and dots");
  }
  if (options.max_candidate_links == 0 || options.tick.count() <= 0 || options.resend_interval.count() <= 0) {
    return make_error(ErrorKind::InvalidInput, "NATS node: candidate links, tick and resend interval must be positive");
  }
  const PartyId self = config.id;
  auto handle = std::make_shared<NatsCoreHandle>();
  handle->core = std::make_shared<NatsCore>(std::move(config), options);

  OptionsGuard o;
  natsStatus s = natsOptions_Create(&o.opts);
  if (s != NATS_OK) return nats_error("options", s);
  TSIGN_CHECK(configure(o.opts, options, handle.get(), self));
  s = natsConnection_Connect(&handle->connection, o.opts);
  if (s != NATS_OK) {
    handle->connection = nullptr;
    return nats_error("cannot connect to " + options.url, s);
  }
  handle->core->set_publisher([conn = handle->connection](const std::string& subject, Bytes frame) {
    // Fails only when the connection is closed or its reconnect buffer is full: the frame is then
    // lost like one the broker dropped, and resent while unacknowledged.
    natsConnection_Publish(conn, subject.c_str(), frame.data(), static_cast<int>(frame.size()));
  });
  const std::string mine = handle->core->subject_for(self);
  s = natsConnection_Subscribe(&handle->subscription, handle->connection, mine.c_str(), &NatsCoreHandle::on_message,
                               handle.get());
  if (s != NATS_OK) {
    handle->subscription = nullptr;
    return nats_error("cannot subscribe to " + mine, s);
  }
  natsSubscription_SetOnCompleteCB(handle->subscription, &NatsCoreHandle::on_subscription_done, handle.get());
  natsSubscription_SetPendingLimits(handle->subscription, clamp_int(options.max_inbound_messages),
                                    clamp_int(options.max_inbound_bytes));
  // The subscription is registered at the broker before any peer is asked for a link.
  s = natsConnection_FlushTimeout(handle->connection, options.connect_timeout.count());
  if (s != NATS_OK) return nats_error("broker did not confirm the subscription", s);
  handle->ticker = std::thread([raw = handle.get(), tick = options.tick] {
    std::unique_lock lock(raw->mutex);
    while (!raw->stopping) {
      lock.unlock();
      raw->core->tick();
      lock.lock();
      raw->cv.wait_for(lock, tick, [&] { return raw->stopping; });
    }
  });
  return std::unique_ptr<NatsNode>(new NatsNode(std::move(handle)));
}

NatsNode::NatsNode(std::shared_ptr<NatsCoreHandle> handle) : handle_(std::move(handle)) {}
NatsNode::~NatsNode() = default;

PartyId NatsNode::self() const { return handle_->core->party_config().id; }

Result<std::unique_ptr<Transport>> NatsNode::open_session(const SessionId& session) {
  TSIGN_TRY(auto inbox, handle_->core->open_session(session));
  return std::unique_ptr<Transport>(std::make_unique<SessionView>(handle_->core, session, std::move(inbox)));
}

std::string NatsNode::peer_status(PartyId peer) const { return handle_->core->peer_note(peer); }
bool NatsNode::connected(PartyId peer) const { return handle_->core->connected(peer); }
std::string NatsNode::subject(PartyId party) const { return handle_->core->subject_for(party); }
std::uint64_t NatsNode::rejected_frames() const { return handle_->core->rejected_frames(); }
std::uint64_t NatsNode::duplicates_dropped() const { return handle_->core->duplicates_dropped(); }

Status NatsNode::flush(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::vector<PartyId> owing = handle_->core->owing_peers();
    if (owing.empty()) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      return make_error(ErrorKind::Timeout, "messages not acknowledged before the deadline", std::move(owing));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

#ifdef TSIGN_TEST_HOOKS
void NatsNode::hold_outgoing_for_testing(bool hold) { handle_->core->hold_outgoing(hold); }
std::vector<std::pair<std::string, Bytes>> NatsNode::take_held_for_testing() { return handle_->core->take_held(); }
#endif

}  // namespace tsign
