// Reading YAML input with errors that name the file, line and key.
#pragma once

#include <initializer_list>
#include <string>
#include <unordered_map>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/quantity.h"
#include "model/spec.h"

namespace icsim {

// Input files larger than this are refused (scenario and agent files are a few KB).
inline constexpr size_t kMaxInputBytes = size_t{16} << 20;

// Loads a YAML file; malformed YAML, unreadable files, directories, devices and files
// over kMaxInputBytes become InputError.
YAML::Node load_yaml_file(const std::string& path);
// Rejects a key written twice in one mapping, or a key that is not a plain name,
// naming `where` (the dotted key of `n`) in errors. Each node is checked once however
// many aliases refer to it.
void reject_duplicate_keys(const YAML::Node& n, const std::string& path, const std::string& where);
// The same for text already read; `path` names it in errors.
YAML::Node load_yaml_text(const std::string& text, const std::string& path);

// The closest candidate to `word` by edit distance, or "" when none is close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

class YamlDoc {
 public:
  explicit YamlDoc(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }
  // A value set on the command line: errors about it, or about anything inside it,
  // name "--set", not a line (its lines are within the value, not the file).
  void add_override(const YAML::Node& value);

  Origin origin(const YAML::Node& n, const std::string& key) const;
  [[noreturn]] void fail(const YAML::Node& n, const std::string& key, const std::string& reason) const;
  // Something accepted but probably not meant (a list override that replaces the
  // library's list). Written "FILE:LINE: KEY: message" into the sink given to
  // collect_warnings, else to stderr after "icsim: warning: ". Input is read on one
  // thread; the sink belongs to the caller.
  void warn(const YAML::Node& n, const std::string& key, const std::string& message) const;
  void collect_warnings(std::vector<std::string>* sink) { warnings_ = sink; }

  void require_map(const YAML::Node& n, const std::string& key) const;
  // Rejects keys not in `allowed`, suggesting the closest allowed key.
  void check_keys(const YAML::Node& map, const std::string& path, const std::vector<std::string>& allowed) const;

  std::string text(const YAML::Node& n, const std::string& key) const;
  double number(const YAML::Node& n, const std::string& key) const;
  long integer(const YAML::Node& n, const std::string& key) const;
  bool boolean(const YAML::Node& n, const std::string& key) const;
  Quantity quantity(const YAML::Node& n, const std::string& key) const;
  // A quantity converted to `unit` (e.g. "day"); rejects a missing or wrong unit.
  double in_unit(const YAML::Node& n, const std::string& key, const char* unit) const;

 private:
  std::string file_;
  bool is_override(const YAML::Node& n) const;
  // The nodes of --set values, bucketed by their position in the value's text.
  std::unordered_map<int, std::vector<YAML::Node>> overrides_;
  std::vector<std::string>* warnings_ = nullptr;
};

inline std::string join_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace icsim
