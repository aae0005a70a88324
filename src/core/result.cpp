#include "tsign/core/result.hpp"

namespace tsign {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidInput: return "invalid input";
    case ErrorKind::InvalidKeyShare: return "invalid key share";
    case ErrorKind::ProtocolAborted: return "protocol aborted";
    case ErrorKind::Transport: return "transport error";
    case ErrorKind::Timeout: return "timeout";
    case ErrorKind::Storage: return "storage error";
    case ErrorKind::PolicyDenied: return "policy denied";
    case ErrorKind::Internal: return "internal error";
  }
  return "unknown error";
}

std::string Error::describe() const {
  std::string out = std::string(to_string(kind)) + ": " + message;
  if (!culprits.empty()) {
    out += " (culprits:";
    for (std::size_t i = 0; i < culprits.size(); ++i) {
      out += (i == 0 ? " " : ", ") + std::to_string(culprits[i]);
    }
    out += ")";
  }
  return out;
}

}  // namespace tsign
