#pragma once
// The interim request source of tsignd, until the broker source lands: a spool directory.
//
//   <spool>/incoming/<name>.json   a request; write it elsewhere in <spool> and rename it here
//   <spool>/taken/<name>.json      moved here (rename) when the daemon takes it, so once only
//   <spool>/results/<name>.json    the result, written atomically
//
// Names are 1-100 of letters, digits, '.', '_' and '-', ending ".json"; anything else in
// incoming/ is left alone and reported once. A request file over 64 KiB is taken and answered as
// malformed without being read whole.
#include <filesystem>
#include <functional>
#include <set>

#include "tsign/service/request_source.hpp"

namespace tsign::daemon {

class SpoolSource final : public RequestSource {
 public:
  // Creates the three directories (0700) when missing.
  static Result<SpoolSource> open(const std::filesystem::path& spool, std::function<void(const std::string&)> warn);
  std::optional<IncomingRequest> next(std::chrono::milliseconds wait) override;

 private:
  SpoolSource(std::filesystem::path spool, std::function<void(const std::string&)> warn)
      : spool_(std::move(spool)), warn_(std::move(warn)) {}
  std::optional<IncomingRequest> take_one();

  std::filesystem::path spool_;
  std::function<void(const std::string&)> warn_;
  std::set<std::string> reported_;
};

}  // namespace tsign::daemon
