#include "core/quantity.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

namespace icsim {

Dim Dim::operator*(const Dim& o) const {
  Dim r;
  for (int i = 0; i < kCount; ++i) r.e[i] = e[i] + o.e[i];
  return r;
}

Dim Dim::inverse() const {
  Dim r;
  for (int i = 0; i < kCount; ++i) r.e[i] = -e[i];
  return r;
}

namespace {

constexpr double kAvogadro = 6.02214076e23;

Dim base(Dim::Base b, int power = 1) {
  Dim d;
  d.e[b] = power;
  return d;
}

const std::unordered_map<std::string, Unit>& unit_table() {
  static const std::unordered_map<std::string, Unit> table = [] {
    std::unordered_map<std::string, Unit> t;
    const Dim mass = base(Dim::kMass), len = base(Dim::kLength), time = base(Dim::kTime);
    const Dim amount = base(Dim::kAmount), vol = base(Dim::kLength, 3);
    const Dim molar = amount * vol.inverse();
    const Dim activity = base(Dim::kActivity);
    for (auto [name, f] : {std::pair{"kg", 1.0}, {"g", 1e-3}, {"mg", 1e-6}, {"ug", 1e-9},
                           {"µg", 1e-9}, {"mcg", 1e-9}, {"ng", 1e-12}, {"pg", 1e-15}})
      t[name] = {f, mass};
    for (auto [name, f] : {std::pair{"m", 1.0}, {"dm", 0.1}, {"cm", 1e-2}, {"mm", 1e-3},
                           {"um", 1e-6}, {"µm", 1e-6}})
      t[name] = {f, len};
    for (auto [name, f] : {std::pair{"L", 1e-3}, {"l", 1e-3}, {"dL", 1e-4}, {"mL", 1e-6},
                           {"ml", 1e-6}, {"uL", 1e-9}, {"µL", 1e-9},
                           {"nL", 1e-12}, {"pL", 1e-15}, {"fL", 1e-18}})
      t[name] = {f, vol};
    for (auto [name, f] :
         {std::pair{"s", 1.0}, {"sec", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"hr", 3600.0},
          {"hour", 3600.0}, {"hours", 3600.0}, {"d", 86400.0}, {"day", 86400.0},
          {"days", 86400.0}, {"wk", 604800.0}, {"week", 604800.0}, {"weeks", 604800.0},
          {"y", 31557600.0}, {"yr", 31557600.0}, {"year", 31557600.0}, {"years", 31557600.0}})
      t[name] = {f, time};
    for (auto [name, f] : {std::pair{"mol", 1.0}, {"mmol", 1e-3}, {"umol", 1e-6},
                           {"µmol", 1e-6}, {"nmol", 1e-9}, {"pmol", 1e-12}, {"fmol", 1e-15}})
      t[name] = {f, amount};
    t["molecule"] = t["molecules"] = {1.0 / kAvogadro, amount};
    // Molar concentrations: mol/L = 1e3 mol/m3.
    for (auto [name, f] : {std::pair{"M", 1e3}, {"mM", 1.0}, {"uM", 1e-3}, {"µM", 1e-3},
                           {"nM", 1e-6}, {"pM", 1e-9}, {"fM", 1e-12}})
      t[name] = {f, molar};
    // Molar mass: g/mol = 1e-3 kg/mol.
    t["Da"] = {1e-3, mass * amount.inverse()};
    t["kDa"] = {1.0, mass * amount.inverse()};
    t["cell"] = t["cells"] = {1.0, base(Dim::kCell)};
    for (auto [name, f] : {std::pair{"Bq", 1.0}, {"kBq", 1e3}, {"MBq", 1e6}, {"GBq", 1e9},
                           {"Ci", 3.7e10}, {"mCi", 3.7e7}, {"uCi", 3.7e4}, {"µCi", 3.7e4}})
      t[name] = {f, activity};
    // Absorbed dose: J/kg = m2/s2.
    const Dim dose = len * len * (time * time).inverse();
    for (auto [name, f] : {std::pair{"Gy", 1.0}, {"cGy", 1e-2}, {"mGy", 1e-3}}) t[name] = {f, dose};
    t["%"] = {0.01, Dim{}};
    return t;
  }();
  return table;
}

// One factor of a unit expression: a name with an optional power ("m2", "m^2", "h-1").
Unit parse_factor(std::string_view tok) {
  if (tok == "1") return {};
  std::string name(tok);
  int power = 1;
  size_t caret = name.find('^');
  std::string pow_text;
  if (caret != std::string::npos) {
    pow_text = name.substr(caret + 1);
    name = name.substr(0, caret);
  } else {
    size_t k = name.size();
    while (k > 0 && (std::isdigit(static_cast<unsigned char>(name[k - 1])) || name[k - 1] == '-'))
      --k;
    if (k > 0 && k < name.size()) {
      pow_text = name.substr(k);
      name = name.substr(0, k);
    }
  }
  if (!pow_text.empty()) {
    char* end = nullptr;
    long p = std::strtol(pow_text.c_str(), &end, 10);
    if (*end != '\0' || p == 0) throw std::invalid_argument(fmt::format("bad power in unit '{}'", tok));
    if (p > 99 || p < -99)
      throw std::invalid_argument(fmt::format("power out of range in unit '{}' (at most 99)", tok));
    power = static_cast<int>(p);
  }
  const auto& table = unit_table();
  auto it = table.find(name);
  if (it == table.end()) throw std::invalid_argument(fmt::format("unknown unit '{}'", name));
  Unit u;
  u.si = std::pow(it->second.si, power);
  for (int i = 0; i < Dim::kCount; ++i) u.dim.e[i] = it->second.dim.e[i] * power;
  return u;
}

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

}  // namespace

Unit parse_unit(std::string_view text) {
  std::string s = trim(text);
  if (s.empty()) return {};
  Unit result;
  bool divide = false;
  size_t i = 0;
  if (s[0] == '/') {  // "/day" means 1/day
    divide = true;
    i = 1;
    while (i < s.size() && s[i] == ' ') ++i;
  }
  while (i <= s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] != '/' && s[j] != '*' && s[j] != ' ' && s.compare(j, 2, "·") != 0)
      ++j;
    std::string tok = trim(std::string_view(s).substr(i, j - i));
    if (tok.empty()) throw std::invalid_argument(fmt::format("malformed unit '{}'", s));
    Unit f = parse_factor(tok);
    if (divide) {
      result.si /= f.si;
      result.dim = result.dim * f.dim.inverse();
    } else {
      result.si *= f.si;
      result.dim = result.dim * f.dim;
    }
    if (j >= s.size()) break;
    // Spaces around an operator belong to it ("L / day", "mg * h"); a space alone
    // multiplies ("mg h").
    size_t op = j;
    while (op < s.size() && s[op] == ' ') ++op;
    if (op < s.size() && (s[op] == '/' || s[op] == '*' || s.compare(op, 2, "·") == 0)) j = op;
    divide = s[j] == '/';
    i = j + (s.compare(j, 2, "·") == 0 ? 2 : s[j] == ' ' ? 0 : 1);
    while (i < s.size() && s[i] == ' ') ++i;
  }
  return result;
}

Quantity parse_quantity(std::string_view text) {
  std::string s = trim(text);
  if (s.empty()) throw std::invalid_argument("empty value: expected a number with its unit");
  const char* begin = s.c_str();
  char* end = nullptr;
  double v = std::strtod(begin, &end);
  if (end == begin) throw std::invalid_argument(fmt::format("'{}' is not a number with a unit", s));
  if (!std::isfinite(v)) throw std::invalid_argument(fmt::format("'{}' is not a finite number", s));
  std::string unit_text = trim(std::string_view(end));
  Quantity q;
  q.unit_text = unit_text;
  q.has_unit = !unit_text.empty();
  Unit u = parse_unit(unit_text);
  q.value = v * u.si;
  q.dim = u.dim;
  q.written = v;
  q.unit_si = u.si;
  return q;
}

double convert(const Quantity& q, const Unit& to, double mw_g_per_mol) {
  if (q.dim == to.dim && q.unit_si == to.si) return q.written;
  if (q.dim == to.dim) return q.value / to.si;
  // Mass written where amount is expected (or the reverse): k = excess mass power.
  const int k = q.dim.e[Dim::kMass] - to.dim.e[Dim::kMass];
  Dim shifted = q.dim;
  shifted.e[Dim::kMass] -= k;
  shifted.e[Dim::kAmount] += k;
  if (k != 0 && shifted == to.dim) {
    if (mw_g_per_mol <= 0.0)
      throw std::invalid_argument(fmt::format(
          "'{}' is per mass where an amount is expected, and no molecular weight is known",
          q.unit_text));
    const double mw_kg_per_mol = mw_g_per_mol * 1e-3;
    return q.value / std::pow(mw_kg_per_mol, k) / to.si;
  }
  throw std::invalid_argument(fmt::format("unit '{}' ({}) cannot be converted to {}",
                                          q.unit_text.empty() ? "none" : q.unit_text,
                                          describe(q.dim), describe(to.dim)));
}

std::string describe(const Dim& d) {
  static const char* names[] = {"mass", "length", "time", "amount", "cell", "activity"};
  if (d.dimensionless()) return "dimensionless";
  std::string num, den;
  for (int i = 0; i < Dim::kCount; ++i) {
    int p = d.e[i];
    if (p == 0) continue;
    std::string n = names[i];
    if (i == Dim::kLength && std::abs(p) == 3) n = "volume";
    else if (i == Dim::kLength && std::abs(p) == 2) n = "area";
    else if (std::abs(p) != 1) n += "^" + std::to_string(std::abs(p));
    std::string& side = p > 0 ? num : den;
    side += (side.empty() ? "" : "*") + n;
  }
  if (num.empty()) num = "1";
  return den.empty() ? num : num + "/" + den;
}

}  // namespace icsim
