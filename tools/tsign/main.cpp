// tsign: the command-line tool for threshold custody (docs/cli.md).
#include <csignal>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "exit_codes.hpp"

#include "tsign/custody/process.hpp"

namespace tsign::cli {

namespace {

std::vector<Command> all_commands() {
  return {init_command(),       keygen_command(),      sign_command(),       presign_command(),    verify_command(),
          list_command(),       pubkey_command(),      xpub_command(),       refresh_command(),
          reshare_command(),    repair_command(),      staged_command(),     audit_verify_command(),
          backup_key_command(), backup_command(),      restore_command(),    decommission_command(),
          requester_key_command(), request_command()};
}

std::string overview() {
  std::string out =
      "usage: tsign <command> [options]   (tsign <command> --help for its options)\n\n"
      "Threshold signing for custody: t of n parties hold shares of a key and jointly sign;\n"
      "no machine ever holds the whole key.\n\ncommands:\n";
  for (const auto& c : all_commands()) {
    std::string name(c.name);
    out += "  " + name + std::string(name.size() < 14 ? 14 - name.size() : 1, ' ') + std::string(c.summary) + "\n";
  }
  out +=
      "\ncommon options: --json (one JSON object on stdout), --quiet (no progress on stderr)\n"
      "exit codes: 0 ok, 1 usage, 2 invalid input, 3 protocol aborted, 4 timeout, 5 storage,\n"
      "            6 policy denied, 7 verification failed, 8 transport, 9 internal\n";
  return out;
}

bool contains(const std::vector<std::string>& argv, std::string_view flag) {
  for (const auto& a : argv) {
    if (a == flag) return true;
  }
  return false;
}

int run(std::vector<std::string> argv) {
  if (argv.empty() || argv[0] == "help" || argv[0] == "--help" || argv[0] == "-h") {
    if (argv.size() >= 2 && argv[0] == "help") {
      argv.erase(argv.begin());
      argv.push_back("--help");
    } else {
      std::cout << overview();
      return argv.empty() ? static_cast<int>(ExitCode::Usage) : 0;
    }
  }
  if (argv[0] == "--version") {
    std::cout << "tsign 0.1.0" << std::endl;
    return 0;
  }
  std::string name = argv[0];
  argv.erase(argv.begin());
  if (name == "audit") {
    if (argv.empty() || argv[0] != "verify") {
      std::cerr << "tsign: usage: tsign audit verify [options]" << std::endl;
      return static_cast<int>(ExitCode::Usage);
    }
    name = "audit verify";
    argv.erase(argv.begin());
  }
  const bool json = contains(argv, "--json");
  const auto commands = all_commands();
  const Command* command = nullptr;
  for (const auto& c : commands) {
    if (c.name == name) command = &c;
  }
  if (command == nullptr) {
    print_usage_error("unknown command '" + name + "'", overview(), json);
    return static_cast<int>(ExitCode::Usage);
  }
  if (contains(argv, "--help")) {
    std::cout << command->usage << std::endl;
    return 0;
  }
  OptionSpec spec = command->spec;
  spec.flags.push_back("json");
  spec.flags.push_back("quiet");
  try {
    const Args args = Args::parse(argv, spec);
    const Progress progress(args.has("quiet"));
    const Context context{progress, json};
    Result<Report> report = command->run(args, context);
    if (!report) {
      const ExitCode code = exit_code_for(report.error().kind);
      print_error(report.error(), code, json);
      return static_cast<int>(code);
    }
    print_report(*report, json);
    return static_cast<int>(report->exit);
  } catch (const UsageError& e) {
    print_usage_error(e.what(), std::string(command->usage), json);
    return static_cast<int>(ExitCode::Usage);
  }
}

}  // namespace

}  // namespace tsign::cli

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  tsign::keep_freed_heap_for_reuse();
  if (auto hardened = tsign::harden_process(); !hardened) {
    std::cerr << "tsign: " << hardened.error().message << std::endl;
    return static_cast<int>(tsign::cli::ExitCode::Internal);
  }
  try {
    return tsign::cli::run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "tsign: internal error: " << e.what() << std::endl;
    return static_cast<int>(tsign::cli::ExitCode::Internal);
  }
}
