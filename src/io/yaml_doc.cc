#include "io/yaml_doc.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "icsim/error.h"

namespace icsim {

namespace {
// Collections already checked. An alias refers to its anchor's node itself, so a
// document of nested aliases ("billion laughs": 1 KB, 9 levels of 9 aliases) has
// few distinct nodes but 9^9 paths through them: each node is checked once, at the
// first path that reaches it. yaml-cpp nodes have identity (`is`) but no hash;
// they are bucketed by their position in the text.
class Visited {
 public:
  bool insert(const YAML::Node& n) {
    auto& bucket = by_pos_[n.Mark().pos];
    for (const auto& m : bucket)
      if (m.is(n)) return false;
    bucket.push_back(n);
    return true;
  }

 private:
  std::unordered_map<int, std::vector<YAML::Node>> by_pos_;
};

// YAML parsers keep one of two equal keys silently; a key written twice is an error,
// and so is a key that is not a plain name.
void reject_duplicate_keys(const YAML::Node& n, const std::string& path, const std::string& where,
                           Visited& visited) {
  if (!n.IsSequence() && !n.IsMap()) return;
  if (!visited.insert(n)) return;
  if (n.IsSequence()) {
    for (size_t i = 0; i < n.size(); ++i)
      reject_duplicate_keys(n[i], path, fmt::format("{}[{}]", where, i), visited);
  } else {
    std::map<std::string, int> seen;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar())
        throw InputError(path, kv.first.Mark().line + 1, where, "a key must be a plain name, not a list or mapping");
      const std::string k = kv.first.Scalar();
      const std::string key = where.empty() ? k : where + "." + k;
      const int line = kv.first.Mark().line + 1;
      auto [it, fresh] = seen.emplace(k, line);
      if (!fresh) throw InputError(path, line, key, fmt::format("key given twice (first at line {})", it->second));
      reject_duplicate_keys(kv.second, path, key, visited);
    }
  }
}
}  // namespace

void reject_duplicate_keys(const YAML::Node& n, const std::string& path, const std::string& where) {
  Visited visited;
  reject_duplicate_keys(n, path, where, visited);
}

YAML::Node load_yaml_file(const std::string& path) {
  // Only regular files, and only up to kMaxInputBytes: a directory, /dev/zero or a
  // runaway file would otherwise be read until memory runs out. Pipes (`<(...)`) are
  // read with the same bound.
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(st)) throw InputError(path, 0, "", "is a directory, not a YAML file");
  if (std::filesystem::is_regular_file(st) && std::filesystem::file_size(path, ec) > kMaxInputBytes && !ec)
    throw InputError(path, 0, "",
                     fmt::format("the file is {} bytes; input files are limited to {} MB",
                                 std::filesystem::file_size(path, ec), kMaxInputBytes >> 20));
  if (std::filesystem::is_block_file(st) || std::filesystem::is_character_file(st) ||
      std::filesystem::is_socket(st))
    throw InputError(path, 0, "", "is a device or socket, not a YAML file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "", "cannot open the file");
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes) break;
  }
  if (text.size() > kMaxInputBytes)
    throw InputError(path, 0, "", fmt::format("more than {} MB; input files are limited to that", kMaxInputBytes >> 20));
  if (in.bad()) throw InputError(path, 0, "", "cannot read the file");
  return load_yaml_text(text, path);
}

YAML::Node load_yaml_text(const std::string& text, const std::string& path) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) throw InputError(path, 1, "", "expected a mapping of keys to values at the top level");
    reject_duplicate_keys(root, path, "");
    return root;
  } catch (const YAML::Exception& e) {
    throw InputError(path, e.mark.is_null() ? 0 : e.mark.line + 1, "", "malformed YAML: " + e.msg);
  }
}

namespace {
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

bool YamlDoc::is_override(const YAML::Node& n) const {
  auto it = overrides_.find(n.Mark().pos);
  if (it == overrides_.end()) return false;
  for (const auto& o : it->second)
    if (o.is(n)) return true;
  return false;
}

void YamlDoc::add_override(const YAML::Node& value) {
  if (is_override(value)) return;  // an alias: its nodes are in already
  overrides_[value.Mark().pos].push_back(value);
  if (value.IsSequence())
    for (const auto& e : value) add_override(e);
  else if (value.IsMap())
    for (const auto& kv : value) {
      add_override(kv.first);
      add_override(kv.second);
    }
}

Origin YamlDoc::origin(const YAML::Node& n, const std::string& key) const {
  // Values set on the command line have no position in any file.
  if (!n.IsDefined() || n.Mark().is_null() || is_override(n)) return {"--set", 0, key};
  return {file_, n.Mark().line + 1, key};
}

void YamlDoc::fail(const YAML::Node& n, const std::string& key, const std::string& reason) const {
  Origin o = origin(n, key);
  throw InputError(o.file, o.line, o.key, reason);
}

void YamlDoc::warn(const YAML::Node& n, const std::string& key, const std::string& message) const {
  const Origin o = origin(n, key);
  // The same "FILE:LINE: KEY: reason" form as an InputError.
  const std::string text = InputError(o.file, o.line, o.key, message).what();
  if (warnings_) warnings_->push_back(text);
  else fmt::print(stderr, "icsim: warning: {}\n", text);
}

void YamlDoc::require_map(const YAML::Node& n, const std::string& key) const {
  if (!n.IsMap()) fail(n, key, "expected a mapping of keys to values");
}

void YamlDoc::check_keys(const YAML::Node& map, const std::string& path,
                         const std::vector<std::string>& allowed) const {
  require_map(map, path);
  for (const auto& kv : map) {
    const std::string k = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string hint = closest_match(k, allowed);
    std::string reason = "unknown key";
    if (!hint.empty()) reason += fmt::format(" (did you mean '{}'?)", hint);
    else reason += fmt::format(" (allowed: {})", fmt::join(allowed, ", "));
    fail(kv.first, join_key(path, k), reason);
  }
}

std::string YamlDoc::text(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar()) fail(n, key, "expected a single value");
  return n.Scalar();
}

double YamlDoc::number(const YAML::Node& n, const std::string& key) const {
  const std::string s = text(n, key);
  Quantity q;
  try {
    q = parse_quantity(s);
  } catch (const std::invalid_argument& e) {
    fail(n, key, e.what());
  }
  if (q.has_unit && !q.dim.dimensionless()) fail(n, key, fmt::format("expected a plain number, got '{}'", s));
  return q.value;
}

long YamlDoc::integer(const YAML::Node& n, const std::string& key) const {
  const double v = number(n, key);
  if (v != std::floor(v)) fail(n, key, fmt::format("expected a whole number, got '{}'", n.Scalar()));
  // Doubles hold every whole number up to 2^53 (9.0e15) exactly: 1e15 is the bound.
  if (std::abs(v) > 1e15)
    fail(n, key, fmt::format("'{}' is too large: whole numbers are limited to 1e15 (1000000000000000) in size",
                             n.Scalar()));
  return static_cast<long>(v);
}

bool YamlDoc::boolean(const YAML::Node& n, const std::string& key) const {
  const std::string s = text(n, key);
  if (s == "true") return true;
  if (s == "false") return false;
  fail(n, key, fmt::format("expected true or false, got '{}'", s));
}

Quantity YamlDoc::quantity(const YAML::Node& n, const std::string& key) const {
  try {
    return parse_quantity(text(n, key));
  } catch (const std::invalid_argument& e) {
    fail(n, key, e.what());
  }
}

double YamlDoc::in_unit(const YAML::Node& n, const std::string& key, const char* unit) const {
  const Quantity q = quantity(n, key);
  const Unit u = parse_unit(unit);
  if (!q.has_unit && !u.dim.dimensionless())
    fail(n, key, fmt::format("missing unit: write it as e.g. '{} {}'", n.Scalar(), unit));
  try {
    return convert(q, u);
  } catch (const std::invalid_argument& e) {
    fail(n, key, fmt::format("{} (expected a {} such as '{}')", e.what(), describe(u.dim), unit));
  }
}

}  // namespace icsim
