#pragma once
// The subcommands of tsign: each declares its options and usage next to its code.
#include <string_view>
#include <vector>

#include "args.hpp"
#include "output.hpp"

namespace tsign::cli {

struct Context {
  const Progress& progress;
  bool json = false;
};

struct Command {
  std::string_view name;
  std::string_view summary;
  std::string_view usage;
  OptionSpec spec;  // --json, --quiet and --help are added for every command
  Result<Report> (*run)(const Args& args, const Context& context);
};

Command init_command();
Command keygen_command();
Command sign_command();
Command presign_command();
Command verify_command();
Command list_command();
Command pubkey_command();
Command xpub_command();
Command refresh_command();
Command reshare_command();
Command repair_command();
Command staged_command();
Command audit_verify_command();
Command backup_key_command();
Command backup_command();
Command restore_command();
Command decommission_command();
Command requester_key_command();
Command request_command();

}  // namespace tsign::cli
