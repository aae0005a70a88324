#pragma once
// What a command prints: a readable "label: value" block, or one JSON object with --json. Progress
// lines for long steps go to stderr, so stdout carries only the result. Nothing secret is ever
// put in a Report.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "exit_codes.hpp"
#include "tsign/core/result.hpp"

namespace tsign::cli {

using Json = nlohmann::ordered_json;

struct Report {
  Json json = Json::object();
  std::vector<std::pair<std::string, std::string>> lines;  // label, readable value
  ExitCode exit = ExitCode::Ok;

  // Adds `key` to the JSON object and a readable line (arrays print comma-separated).
  void set(const std::string& key, const std::string& label, Json value);
  // A readable line only (notes for the operator).
  void note(const std::string& text);
};

// Writes the report to stdout in the chosen form.
void print_report(const Report& report, bool json);
// Writes a failure: readable on stderr, or a JSON object on stdout.
void print_error(const Error& error, ExitCode code, bool json);
void print_usage_error(const std::string& message, const std::string& usage, bool json);

// Progress for long steps, on stderr ("tsign: keygen: round 2 of 3").
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet) {}
  void line(const std::string& text) const;

 private:
  bool quiet_;
};

}  // namespace tsign::cli
