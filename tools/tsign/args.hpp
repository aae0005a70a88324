#pragma once
// Command-line options of one subcommand: "--name value", "--name=value" and "--flag". Every name
// must be one the subcommand accepts and none may repeat: a typo is an error, never ignored.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tsign::cli {

struct OptionSpec {
  std::vector<std::string_view> flags;    // take no value
  std::vector<std::string_view> options;  // take one value
};

class Args {
 public:
  // Throws UsageError on an unknown or repeated name, a missing value, or a positional argument.
  static Args parse(const std::vector<std::string>& argv, const OptionSpec& spec);

  bool has(std::string_view name) const;
  std::optional<std::string> get(std::string_view name) const;
  // Throws UsageError naming the option when it is absent.
  std::string require(std::string_view name) const;

 private:
  std::map<std::string, std::optional<std::string>, std::less<>> values_;
};

}  // namespace tsign::cli
