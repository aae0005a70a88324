#include "exit_codes.hpp"

namespace tsign::cli {

ExitCode exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidInput:
    case ErrorKind::InvalidKeyShare:
      return ExitCode::InvalidInput;
    case ErrorKind::ProtocolAborted:
      return ExitCode::ProtocolAborted;
    case ErrorKind::Timeout:
      return ExitCode::Timeout;
    case ErrorKind::Storage:
      return ExitCode::Storage;
    case ErrorKind::PolicyDenied:
      return ExitCode::PolicyDenied;
    case ErrorKind::Transport:
      return ExitCode::Transport;
    case ErrorKind::Internal:
      return ExitCode::Internal;
  }
  return ExitCode::Internal;
}

const char* exit_code_name(ExitCode code) {
  switch (code) {
    case ExitCode::Ok: return "ok";
    case ExitCode::Usage: return "usage";
    case ExitCode::InvalidInput: return "invalid input";
    case ExitCode::ProtocolAborted: return "protocol aborted";
    case ExitCode::Timeout: return "timeout";
    case ExitCode::Storage: return "storage";
    case ExitCode::PolicyDenied: return "policy denied";
    case ExitCode::VerificationFailed: return "verification failed";
    case ExitCode::Transport: return "transport";
    case ExitCode::Internal: return "internal";
  }
  return "internal";
}

}  // namespace tsign::cli
