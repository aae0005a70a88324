#pragma once
// The tool's exit codes (docs/cli.md): one per kind of failure, so scripts can react to each.
#include <stdexcept>
#include <string>

#include "tsign/core/result.hpp"

namespace tsign::cli {

enum class ExitCode : int {
  Ok = 0,
  Usage = 1,               // unknown command or option, missing or repeated argument
  InvalidInput = 2,        // malformed configuration, file, key, hex, path; a share of another party or epoch
  ProtocolAborted = 3,     // a peer broke a protocol check or aborted; the culprits are named
  Timeout = 4,             // a step did not complete in time; the missing parties are named
  Storage = 5,             // wrong passphrase, tampered or truncated file, HSM unavailable, I/O error
  PolicyDenied = 6,        // the signing policy refused the request
  VerificationFailed = 7,  // verify: the signature does not verify; audit verify: the log does not
  Transport = 8,           // cannot listen, connect or authenticate
  Internal = 9,            // a bug in tsign
};

ExitCode exit_code_for(ErrorKind kind);
const char* exit_code_name(ExitCode code);

// A command line that cannot be understood: exit code 1 with the command's usage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tsign::cli
