#include "tsign/service/request_source.hpp"

#include <memory>

namespace tsign {

std::future<ServiceResult> MemoryRequestSource::push(std::string text) {
  auto promise = std::make_shared<std::promise<ServiceResult>>();
  auto future = promise->get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(text), [promise](const ServiceResult& r) { promise->set_value(r); }});
  }
  ready_.notify_one();
  return future;
}

std::optional<IncomingRequest> MemoryRequestSource::next(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!ready_.wait_for(lock, wait, [this] { return !queue_.empty(); })) return std::nullopt;
  IncomingRequest out = std::move(queue_.front());
  queue_.pop_front();
  return out;
}

}  // namespace tsign
