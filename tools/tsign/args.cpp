#include "args.hpp"

#include <algorithm>

#include "exit_codes.hpp"

namespace tsign::cli {

namespace {
bool listed(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

Args Args::parse(const std::vector<std::string>& argv, const OptionSpec& spec) {
  Args out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) throw UsageError("unexpected argument '" + arg + "'");
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (out.values_.count(name)) throw UsageError("--" + name + " given twice");
    if (listed(spec.flags, name)) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
      out.values_.emplace(name, std::nullopt);
    } else if (listed(spec.options, name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
        inline_value = argv[++i];
      }
      out.values_.emplace(name, std::move(inline_value));
    } else {
      throw UsageError("unknown option --" + name);
    }
  }
  return out;
}

bool Args::has(std::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> Args::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(std::string_view name) const {
  auto value = get(name);
  if (!value) throw UsageError("missing --" + std::string(name));
  return *value;
}

}  // namespace tsign::cli
