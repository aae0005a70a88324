#pragma once
// Where a signer service takes its requests from, and where each result goes: an interface a
// broker subscription, a local socket or a test implements. MemoryRequestSource serves tests.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>

#include "tsign/service/request.hpp"

namespace tsign {

struct IncomingRequest {
  std::string text;                                  // the request's JSON, not yet checked
  std::function<void(const ServiceResult&)> reply;  // called once, from any thread
};

class RequestSource {
 public:
  virtual ~RequestSource() = default;
  // The next request, or none when `wait` passed without one or the source is closed.
  virtual std::optional<IncomingRequest> next(std::chrono::milliseconds wait) = 0;
};

// Requests pushed by the caller; each result comes back through the returned future.
class MemoryRequestSource final : public RequestSource {
 public:
  std::future<ServiceResult> push(std::string text);
  std::optional<IncomingRequest> next(std::chrono::milliseconds wait) override;

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<IncomingRequest> queue_;
};

}  // namespace tsign
