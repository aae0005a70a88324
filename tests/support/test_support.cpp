#include "support/test_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace tsign::test {

nlohmann::json load_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return nlohmann::json::parse(in);
}

nlohmann::json load_vector(const std::string& name) {
  return load_json(std::filesystem::path(TSIGN_VECTORS_DIR) / name);
}

std::vector<std::filesystem::path> vector_files(const std::string& prefix) {
  std::vector<std::filesystem::path> dirs{TSIGN_VECTORS_DIR};
  if (const char* extra = std::getenv("TSIGN_EXTRA_VECTORS"); extra != nullptr && *extra != '\0') {
    dirs.emplace_back(extra);
  }
  std::vector<std::filesystem::path> out;
  for (const auto& dir : dirs) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const auto name = entry.path().filename().string();
      if (entry.path().extension() == ".json" && name.rfind(prefix, 0) == 0) out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tsign::test
