#include "output.hpp"

#include <cstdio>
#include <iostream>

namespace tsign::cli {

namespace {
std::string readable(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : ", ") + readable(item);
    return out.empty() ? "(none)" : out;
  }
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return value.dump();
}
}  // namespace

void Report::set(const std::string& key, const std::string& label, Json value) {
  lines.emplace_back(label, readable(value));
  json[key] = std::move(value);
}

void Report::note(const std::string& text) { lines.emplace_back(std::string(), text); }

void print_report(const Report& report, bool json) {
  if (json) {
    Json out = report.json;
    out["ok"] = report.exit == ExitCode::Ok;
    out["exit_code"] = static_cast<int>(report.exit);
    std::cout << out.dump(2) << std::endl;
    return;
  }
  std::size_t width = 0;
  for (const auto& [label, value] : report.lines) width = std::max(width, label.size());
  for (const auto& [label, value] : report.lines) {
    if (label.empty()) {
      std::cout << value << '\n';
    } else {
      std::cout << label << ':' << std::string(width - label.size() + 1, ' ') << value << '\n';
    }
  }
  std::cout.flush();
}

void print_error(const Error& error, ExitCode code, bool json) {
  if (json) {
    Json out = Json::object();
    out["ok"] = false;
    out["exit_code"] = static_cast<int>(code);
    out["error"] = {{"kind", exit_code_name(code)}, {"message", error.message}, {"culprits", error.culprits}};
    std::cout << out.dump(2) << std::endl;
    return;
  }
  std::string text = std::string(exit_code_name(code)) + ": " + error.message;
  if (!error.culprits.empty()) {
    std::string ids;
    for (PartyId p : error.culprits) ids += (ids.empty() ? "" : ", ") + std::to_string(p);
    text += (error.kind == ErrorKind::Timeout ? " (waiting for: " : " (culprits: ") + ids + ")";
  }
  std::cerr << "tsign: error: " << text << std::endl;
}

void print_usage_error(const std::string& message, const std::string& usage, bool json) {
  if (json) {
    Json out = Json::object();
    out["ok"] = false;
    out["exit_code"] = static_cast<int>(ExitCode::Usage);
    out["error"] = {{"kind", "usage"}, {"message", message}, {"culprits", Json::array()}};
    std::cout << out.dump(2) << std::endl;
    return;
  }
  std::cerr << "tsign: " << message << "\n\n" << usage << std::endl;
}

void Progress::line(const std::string& text) const {
  if (quiet_) return;
  std::cerr << "tsign: " << text << std::endl;
}

}  // namespace tsign::cli
