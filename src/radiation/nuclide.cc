#include "radiation/nuclide.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "core/quantity.h"
#include "icsim/error.h"
#include "io/agent_reader.h"
#include "io/yaml_doc.h"

namespace icsim::radiation {

const char* emission_name(Emission e) {
  switch (e) {
    case Emission::kAlpha: return "alpha";
    case Emission::kBeta: return "beta";
    case Emission::kElectron: return "electron";
    case Emission::kPhoton: return "photon";
  }
  return "?";
}

namespace {

// ICRP 107 converts years with 365.2422 d (JAERI 1347); core/quantity.cc uses the
// Julian year (365.25 d) and has no ms, us, MeV or keV, so the nuclide reader
// converts with this table of its own (and leaves quantity.cc alone).
constexpr double kIcrpYearDay = 365.2422;

struct UnitFactor {
  const char* name;
  double factor;
};
constexpr UnitFactor kTimeToDay[] = {
    {"us", 1e-6 / 86400.0}, {"µs", 1e-6 / 86400.0}, {"μs", 1e-6 / 86400.0},
    {"ms", 1e-3 / 86400.0}, {"s", 1.0 / 86400.0},   {"min", 1.0 / 1440.0},
    {"h", 1.0 / 24.0},      {"d", 1.0},             {"y", kIcrpYearDay}};
constexpr UnitFactor kEnergyToMeV[] = {{"eV", 1e-6}, {"keV", 1e-3}, {"MeV", 1.0}};

// Splits "<number> <unit>"; the number must be finite.
bool split_value(const std::string& s, double* value, std::string* unit) {
  const char* begin = s.c_str();
  char* end = nullptr;
  *value = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(*value)) return false;
  std::string rest(end);
  const size_t a = rest.find_first_not_of(" \t");
  *unit = a == std::string::npos ? "" : rest.substr(a, rest.find_last_not_of(" \t") - a + 1);
  return true;
}

double read_time_day(const YamlDoc& doc, const YAML::Node& n, const std::string& key) {
  const std::string s = doc.text(n, key);
  double v = 0;
  std::string unit;
  if (!split_value(s, &v, &unit)) doc.fail(n, key, fmt::format("expected a time such as '10.0 d', got '{}'", s));
  if (unit.empty()) doc.fail(n, key, fmt::format("missing unit: write it as e.g. '{} d'", s));
  for (const auto& u : kTimeToDay)
    if (unit == u.name) return v * u.factor;
  // Other time units the engine knows (wk, hour, days, ...).
  return doc.in_unit(n, key, "day");
}

std::optional<double> read_energy_MeV(const YamlDoc& doc, const YAML::Node& n, const std::string& key) {
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  const std::string s = doc.text(n, key);
  double v = 0;
  std::string unit;
  if (!split_value(s, &v, &unit)) doc.fail(n, key, fmt::format("expected an energy such as '5.79 MeV' or null, got '{}'", s));
  if (unit.empty()) doc.fail(n, key, fmt::format("missing unit: write it as e.g. '{} MeV'", s));
  for (const auto& u : kEnergyToMeV)
    if (unit == u.name) {
      if (v < 0) doc.fail(n, key, fmt::format("an energy per decay cannot be negative, got '{}'", s));
      return v * u.factor;
    }
  doc.fail(n, key, fmt::format("unknown energy unit '{}' (use eV, keV or MeV)", unit));
}

std::string source_text(const YamlDoc& doc, const YAML::Node& map, const std::string& key) {
  const YAML::Node s = map["source"];
  if (!s) doc.fail(map, key, "every nuclide names its source (key 'source')");
  const std::string t = doc.text(s, join_key(key, "source"));
  if (t.empty()) doc.fail(s, join_key(key, "source"), "the source is empty");
  return t;
}

const std::vector<std::string> kStatuses = {"sourced", "partial", "estimate", "not found"};

}  // namespace

NuclideLibrary NuclideLibrary::read_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  const YamlDoc doc(path);
  doc.check_keys(root, "", {"references", "nuclides"});
  if (root["references"]) doc.require_map(root["references"], "references");
  const YAML::Node list = root["nuclides"];
  if (!list) doc.fail(root, "nuclides", "the file defines no nuclides (key 'nuclides')");
  doc.require_map(list, "nuclides");

  NuclideLibrary lib;
  for (const auto& kv : list) {
    Nuclide nu;
    nu.name = kv.first.as<std::string>();
    const std::string key = join_key("nuclides", nu.name);
    const YAML::Node m = kv.second;
    doc.check_keys(m, key, {"half_life", "decays", "stable", "source", "energy", "note"});
    nu.origin = doc.origin(kv.first, key);
    nu.source = source_text(doc, m, key);
    nu.stable = m["stable"] && doc.boolean(m["stable"], join_key(key, "stable"));
    if (nu.stable) {
      for (const char* k : {"half_life", "decays", "energy"})
        if (m[k]) doc.fail(m[k], join_key(key, k), "a stable nuclide has no half-life, decays or energy");
      nu.half_life_day = std::numeric_limits<double>::infinity();
      nu.lambda_per_day = 0;
    } else {
      if (!m["half_life"]) doc.fail(m, join_key(key, "half_life"), "missing (or write 'stable: true')");
      const std::string hkey = join_key(key, "half_life");
      nu.half_life_day = read_time_day(doc, m["half_life"], hkey);
      if (!(nu.half_life_day > 0) || !std::isfinite(nu.half_life_day))
        doc.fail(m["half_life"], hkey, "a half-life must be positive and finite");
      nu.lambda_per_day = std::log(2.0) / nu.half_life_day;

      const std::string dkey = join_key(key, "decays");
      const YAML::Node decays = m["decays"];
      if (!decays || !decays.IsSequence() || decays.size() == 0)
        doc.fail(decays ? decays : m, dkey, "expected a list of {mode, to, fraction}");
      double sum = 0;
      for (size_t i = 0; i < decays.size(); ++i) {
        const YAML::Node d = decays[i];
        const std::string bkey = fmt::format("{}[{}]", dkey, i);
        doc.check_keys(d, bkey, {"mode", "to", "fraction"});
        for (const char* k : {"mode", "to", "fraction"})
          if (!d[k]) doc.fail(d, join_key(bkey, k), "missing");
        Branch b;
        b.mode = doc.text(d["mode"], join_key(bkey, "mode"));
        b.daughter = doc.text(d["to"], join_key(bkey, "to"));
        b.fraction = doc.number(d["fraction"], join_key(bkey, "fraction"));
        if (!(b.fraction > 0 && b.fraction <= 1))
          doc.fail(d["fraction"], join_key(bkey, "fraction"),
                   fmt::format("a branching fraction must be in (0, 1], got {}", d["fraction"].Scalar()));
        if (b.daughter == nu.name) doc.fail(d["to"], join_key(bkey, "to"), "a nuclide cannot decay into itself");
        sum += b.fraction;
        nu.branches.push_back(b);
      }
      if (std::abs(sum - 1.0) > 1e-5)
        doc.fail(decays, dkey, fmt::format("the branching fractions sum to {:.7g}, not 1", sum));

      if (const YAML::Node e = m["energy"]) {
        const std::string ekey = join_key(key, "energy");
        doc.check_keys(e, ekey, {"alpha", "beta", "electron", "photon", "status", "source"});
        for (int t = 0; t < kEmissionCount; ++t) {
          const char* name = emission_name(static_cast<Emission>(t));
          nu.energy_MeV[t] = read_energy_MeV(doc, e[name], join_key(ekey, name));
        }
        if (!e["status"] || !e["source"])
          doc.fail(e, ekey, "an energy block says its status (sourced, partial, estimate, not found) and source");
        nu.energy_status = doc.text(e["status"], join_key(ekey, "status"));
        if (std::find(kStatuses.begin(), kStatuses.end(), nu.energy_status) == kStatuses.end())
          doc.fail(e["status"], join_key(ekey, "status"),
                   fmt::format("unknown status '{}' (allowed: {})", nu.energy_status, fmt::join(kStatuses, ", ")));
        nu.energy_source = doc.text(e["source"], join_key(ekey, "source"));
      }
    }
    lib.nuclides_.emplace(nu.name, std::move(nu));
  }

  // Every daughter is defined, and no nuclide is its own ancestor.
  std::vector<std::string> all = lib.names();
  for (const auto& kv : list) {
    const Nuclide& nu = lib.nuclides_.at(kv.first.as<std::string>());
    for (size_t i = 0; i < nu.branches.size(); ++i)
      if (!lib.find(nu.branches[i].daughter)) {
        const std::string hint = closest_match(nu.branches[i].daughter, all);
        doc.fail(kv.second["decays"][i]["to"], fmt::format("nuclides.{}.decays[{}].to", nu.name, i),
                 fmt::format("unknown nuclide '{}'{}", nu.branches[i].daughter,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
      }
  }
  for (const auto& kv : list) {
    const std::string start = kv.first.as<std::string>();
    std::vector<std::string> stack = {start};
    std::set<std::string> seen;
    while (!stack.empty()) {
      const std::string cur = stack.back();
      stack.pop_back();
      for (const Branch& b : lib.nuclides_.at(cur).branches) {
        if (b.daughter == start)
          doc.fail(kv.first, join_key("nuclides", start), "the nuclide is its own descendant (a cycle of decays)");
        if (seen.insert(b.daughter).second) stack.push_back(b.daughter);
      }
    }
  }
  return lib;
}

const NuclideLibrary& NuclideLibrary::shared() {
  static const NuclideLibrary library = read_default();
  return library;
}

NuclideLibrary NuclideLibrary::read_default() {
  return read_file((std::filesystem::path(data_directory()) / "nuclides" / "nuclides.yaml").string());
}

const Nuclide* NuclideLibrary::find(const std::string& name) const {
  auto it = nuclides_.find(name);
  return it == nuclides_.end() ? nullptr : &it->second;
}

const Nuclide& NuclideLibrary::get(const std::string& name) const {
  if (const Nuclide* n = find(name)) return *n;
  const std::string hint = closest_match(name, names());
  throw std::out_of_range(fmt::format("unknown nuclide '{}'{}", name,
                                      hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}

std::vector<std::string> NuclideLibrary::names() const {
  std::vector<std::string> out;
  for (const auto& kv : nuclides_) out.push_back(kv.first);
  return out;
}

DecayChain::DecayChain(const NuclideLibrary& library, const std::string& parent) {
  // The members reachable from the parent, in breadth-first order of discovery.
  std::vector<const Nuclide*> found = {&library.get(parent)};
  for (size_t k = 0; k < found.size(); ++k)
    for (const Branch& b : found[k]->branches) {
      const Nuclide* d = &library.get(b.daughter);
      if (std::find(found.begin(), found.end(), d) == found.end()) found.push_back(d);
    }
  // Kahn's algorithm: a member comes after all of its parents; ties keep the order
  // of discovery, so the listing is stable.
  std::vector<int> in_degree(found.size(), 0);
  auto pos = [&](const std::string& name) {
    for (size_t i = 0; i < found.size(); ++i)
      if (found[i]->name == name) return static_cast<int>(i);
    return -1;
  };
  for (const Nuclide* n : found)
    for (const Branch& b : n->branches) ++in_degree[pos(b.daughter)];
  std::vector<bool> placed(found.size(), false);
  while (members_.size() < found.size()) {
    size_t k = 0;
    while (placed[k] || in_degree[k] != 0) ++k;  // the library has no cycles
    placed[k] = true;
    members_.push_back(found[k]);
    for (const Branch& b : found[k]->branches) --in_degree[pos(b.daughter)];
  }

  const int n = size();
  matrix_ = Eigen::MatrixXd::Zero(n, n);
  for (int j = 0; j < n; ++j) {
    matrix_(j, j) = -members_[j]->lambda_per_day;
    // Fractions as printed may sum to 1 within rounding (I-131: 0.999999); they are
    // scaled to sum exactly to 1 so that no atom is lost.
    double sum = 0;
    for (const Branch& b : members_[j]->branches) sum += b.fraction;
    for (const Branch& b : members_[j]->branches)
      matrix_(index(b.daughter), j) += b.fraction / sum * members_[j]->lambda_per_day;
  }
}

int DecayChain::index(const std::string& name) const {
  for (int i = 0; i < size(); ++i)
    if (members_[i]->name == name) return i;
  return -1;
}

Eigen::VectorXd DecayChain::lambdas_per_day() const {
  Eigen::VectorXd l(size());
  for (int i = 0; i < size(); ++i) l(i) = members_[i]->lambda_per_day;
  return l;
}

namespace {

// Divided difference of exp over the nodes x (any order, repeats allowed):
// exp[x_1..x_m]. Sorted nodes; a range narrower than 1 is summed as a Taylor series
// about its centre c,
//   exp[x_1..x_m] = e^c sum_{p>=0} h_p(x - c) / (m - 1 + p)!
// (h_p the complete homogeneous symmetric polynomials), which has no cancellation;
// a wider range uses the recurrence exp[x_i..x_j] = (exp[x_i+1..x_j] - exp[x_i..x_j-1])
// / (x_j - x_i) on its two extreme nodes, which then loses at most about a factor m.
double divided_difference_exp(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const int m = static_cast<int>(x.size());
  std::vector<std::vector<double>> dd(m, std::vector<double>(m, 0.0));
  for (int len = 1; len <= m; ++len)
    for (int i = 0; i + len <= m; ++i) {
      const int j = i + len - 1;
      const double width = x[j] - x[i];
      if (width > 1.0) {
        dd[i][j] = (dd[i + 1][j] - dd[i][j - 1]) / width;
        continue;
      }
      const double c = 0.5 * (x[i] + x[j]);
      const double ec = std::exp(c);
      if (ec == 0) continue;  // underflow: the amount is below any double
      // h[r] = h_p(y_i..y_r) for the current p, updated in place p by p.
      std::vector<double> h(len, 1.0);
      double fact = 1.0;  // (len - 1 + p)!
      for (int k = 2; k < len; ++k) fact *= k;
      double sum = 1.0 / fact;
      // |h_p| <= C(p + len - 1, len - 1) ymax^p, so term p is at most
      // ymax^p / (p! (len - 1)!): stop when that bound is below rounding.
      double ymax = 0;
      for (int r = 0; r < len; ++r) ymax = std::max(ymax, std::abs(x[i + r] - c));
      double bound = 1.0 / fact;
      for (int p = 1; p < 200; ++p) {
        double prev = 0.0;
        for (int r = 0; r < len; ++r) {
          h[r] = prev + (x[i + r] - c) * h[r];
          prev = h[r];
        }
        fact *= (len - 1 + p);
        sum += h[len - 1] / fact;
        bound *= ymax / p;
        if (bound <= 1e-18 * std::abs(sum)) break;
      }
      dd[i][j] = ec * sum;
    }
  return dd[0][m - 1];
}

}  // namespace

Eigen::MatrixXd DecayChain::propagator(double t_day) const {
  if (!(t_day >= 0) || !std::isfinite(t_day)) throw std::invalid_argument("DecayChain: time must be finite and >= 0");
  // Column j of exp(M t) is the Bateman solution from one atom of member j: for every
  // path j = p_0 -> p_1 -> ... -> p_k = i through the chain,
  //   N_i(t) += prod_edges (fraction * lambda_src * t) * exp[-lambda_p0 t, ..., -lambda_pk t],
  // the divided difference of exp over the path's nodes, computed without the
  // cancellation of the textbook sum of exponentials (near-equal half-lives) and
  // without the stiffness error of a matrix exponential.
  const int n = size();
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(n, n);
  std::vector<int> path;
  std::vector<double> nodes;
  std::function<void(int, double)> walk = [&](int cur, double weight) {
    F(cur, path.front()) += weight * divided_difference_exp(nodes);
    for (int d = cur + 1; d < n; ++d) {
      const double edge = matrix_(d, cur) * t_day;  // fraction * lambda_cur * t
      if (edge == 0) continue;
      path.push_back(d);
      nodes.push_back(-members_[d]->lambda_per_day * t_day);
      walk(d, weight * edge);
      path.pop_back();
      nodes.pop_back();
    }
  };
  for (int j = 0; j < n; ++j) {
    path = {j};
    nodes = {-members_[j]->lambda_per_day * t_day};
    walk(j, 1.0);
  }
  return F;
}

Eigen::VectorXd DecayChain::atoms(double t_day, const Eigen::VectorXd& n0) const {
  if (n0.size() != size()) throw std::invalid_argument("DecayChain::atoms: wrong number of initial amounts");
  return propagator(t_day) * n0;
}

Eigen::VectorXd DecayChain::activities(double t_day, double a0) const {
  const double lp = members_[0]->lambda_per_day;
  if (lp == 0) throw std::invalid_argument("DecayChain::activities: the parent is stable");
  const Eigen::MatrixXd F = propagator(t_day);
  Eigen::VectorXd a(size());
  // A_i = lambda_i N_i with N_i = F_i0 a0 / lambda_p.
  for (int i = 0; i < size(); ++i) a(i) = members_[i]->lambda_per_day * F(i, 0) * (a0 / lp);
  return a;
}

}  // namespace icsim::radiation
