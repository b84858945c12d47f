#include "radiation/organ_dosimetry.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/quantity.h"
#include "icsim/error.h"
#include "io/agent_reader.h"
#include "io/yaml_doc.h"

namespace icsim::radiation {

namespace {

// mGy per (MBq*s) for 1 MeV per decay absorbed in 1 kg.
constexpr double kMilligrayPerMeVMBqSecondKg = 1.602176634e-13 * 1e6 * 1e3;

}  // namespace

Phantom Phantom::read_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  const YamlDoc doc(path);
  Phantom p;
  // The human file holds two phantoms (the adult male is read); another file holds one.
  p.name = root["name"] ? doc.text(root["name"], "name") : "ICRP 89 reference adult male";
  std::string set = "adult_male";
  if (root["organs"] && root["organs"].IsMap() && !root["organs"]["adult_male"] && root["organs"].size() == 1)
    set = root["organs"].begin()->first.as<std::string>();
  const YAML::Node organs = root["organs"][set];
  if (!organs || !organs.IsMap()) doc.fail(root, "organs." + set, "missing: the phantom's organ masses");
  for (const auto& kv : organs) {
    const std::string organ = kv.first.as<std::string>();
    const YAML::Node& mass = kv.second["mass"];
    if (!kv.second.IsMap() || !mass || !mass.IsScalar() || mass.Scalar() == "derived") continue;
    p.mass_g[organ] = doc.in_unit(mass, "organs." + set + "." + organ + ".mass", "g");
    if (!(p.mass_g[organ] > 0)) doc.fail(mass, "organs." + set + "." + organ + ".mass", "must be > 0");
  }
  for (const char* required : {"total_body", "liver", "kidneys", "spleen", "red_marrow"})
    if (!p.mass_g.count(required)) doc.fail(organs, "organs." + set, fmt::format("missing the mass of '{}'", required));
  const YAML::Node ecf = root["blood_method"]["RMECFF"]["value"];
  if (ecf) p.marrow_ecf_fraction = doc.number(ecf, "blood_method.RMECFF.value");
  // Published tables only: entries marked as estimates, or without a value, are not
  // read (this code makes its own estimates, from the nuclide library).
  for (const auto& nk : root["s_values"]) {
    const std::string nuclide = nk.first.as<std::string>();
    for (const auto& e : nk.second) {
      const std::string key = e.first.as<std::string>();
      const size_t arrow = key.find("<-");
      if (arrow == std::string::npos || !e.second.IsMap()) continue;
      const YAML::Node& v = e.second["value"];
      if (!v || v.IsNull() || (e.second["estimate"] && doc.boolean(e.second["estimate"], key + ".estimate"))) continue;
      const std::string where = "s_values." + nuclide + "." + key;
      const std::string unit = e.second["unit"] ? doc.text(e.second["unit"], where + ".unit") : "";
      if (unit != "mGy/(MBq*s)") doc.fail(e.second, where + ".unit", "must be mGy/(MBq*s)");
      const double s = doc.number(v, where + ".value");
      if (!(s >= 0)) doc.fail(v, where + ".value", "must be >= 0");
      p.tables[nuclide][{key.substr(0, arrow), key.substr(arrow + 2)}] = s;
    }
    if (nk.second["phantom"]) p.table_source[nuclide] = nk.second["phantom"].as<std::string>();
  }
  return p;
}

Phantom Phantom::read_default() { return read_file(data_directory() + "/dosimetry/human_phantom.yaml"); }

Phantom Phantom::for_species(const std::string& species) {
  if (species == "mouse") return read_file(data_directory() + "/dosimetry/mouse_phantom.yaml");
  if (species != "human") throw std::invalid_argument(fmt::format("no phantom for the species '{}'", species));
  return read_default();
}

double Phantom::mass(const std::string& organ) const {
  auto it = mass_g.find(organ);
  if (it == mass_g.end()) throw std::out_of_range(fmt::format("the phantom has no organ '{}'", organ));
  return it->second;
}

OrganSources OrganSources::read_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  reject_duplicate_keys(root, path, "");
  const YamlDoc doc(path);
  doc.check_keys(root, "", {"references", "organs"});
  doc.require_map(root["organs"], "organs");
  OrganSources out;
  for (const auto& kv : root["organs"]) {
    OrganSource o;
    o.organ = kv.first.as<std::string>();
    const std::string key = "organs." + o.organ;
    // The phantoms' source organs: a misspelt one would fail later without a line.
    static const std::vector<std::string> kOrgans = {"liver", "kidneys", "spleen", "lungs", "heart_contents"};
    if (std::find(kOrgans.begin(), kOrgans.end(), o.organ) == kOrgans.end())
      doc.fail(kv.first, key, fmt::format("unknown source organ (one of: {})", fmt::join(kOrgans, ", ")));
    doc.require_map(kv.second, key);
    doc.check_keys(kv.second, key, {"blood_fraction", "abc", "tissue_mass", "catabolism_share"});
    auto value = [&](const char* field) -> const YAML::Node {
      const YAML::Node& n = kv.second[field];
      doc.require_map(n, key + "." + field);
      if (!n["source"]) doc.fail(n, key + "." + field + ".source", "missing: every value names its source");
      return n["value"];
    };
    auto fraction = [&](const char* field) {
      const double v = doc.number(value(field), key + "." + field + ".value");
      if (!(v >= 0.0 && v <= 1.0)) doc.fail(value(field), key + "." + field + ".value", "must be in [0, 1]");
      return v;
    };
    o.blood_fraction = fraction("blood_fraction");
    o.catabolism_share = fraction("catabolism_share");
    const double mass_g = doc.in_unit(value("tissue_mass"), key + ".tissue_mass.value", "g");
    if (!(mass_g >= 0.0)) doc.fail(value("tissue_mass"), key + ".tissue_mass.value", "must be >= 0");
    o.abc = fraction("abc");
    o.interstitial_mL = o.abc * mass_g;
    out.organs.push_back(o);
  }
  double blood = 0.0, catabolism = 0.0;
  for (const OrganSource& o : out.organs) {
    blood += o.blood_fraction;
    catabolism += o.catabolism_share;
  }
  if (blood > 1.0) doc.fail(root["organs"], "organs", "the blood fractions add up to more than 1");
  if (catabolism > 1.0) doc.fail(root["organs"], "organs", "the catabolism shares add up to more than 1");
  return out;
}

OrganSources OrganSources::in_phantom(const Phantom& phantom) const {
  OrganSources out = *this;
  for (OrganSource& o : out.organs)
    if (o.abc > 0.0) o.interstitial_mL = o.abc * phantom.mass(o.organ);
  return out;
}

OrganSources OrganSources::read_default() { return read_file(data_directory() + "/dosimetry/organ_sources.yaml"); }

std::map<std::string, double> with_remainder(std::map<std::string, double> sources, double body) {
  double sum = 0.0;
  for (auto& [organ, a] : sources) {
    a = std::max(0.0, a);  // an integrator's round-off below zero holds nothing
    sum += a;
  }
  if (sum > body && sum > 0.0)
    for (auto& [organ, a] : sources) a *= std::max(0.0, body) / sum;
  sources["remainder"] = std::max(0.0, body - std::min(sum, std::max(0.0, body)));
  return sources;
}

const char* to_string(SOrigin o) {
  switch (o) {
    case SOrigin::kTable: return "published table";
    case SOrigin::kRemainderCorrection: return "remainder-of-body correction of published values";
    case SOrigin::kSelfDoseEstimate: return "estimate: non-penetrating energy absorbed in the organ";
    case SOrigin::kUniformEstimate: return "estimate: non-penetrating energy spread over the body";
    case SOrigin::kNoCrossDose: return "estimate: no cross-dose between separate organs";
  }
  return "";
}

double ChainEnergy::nonpenetrating_MeV() const {
  return energy_MeV[static_cast<int>(Emission::kAlpha)] + energy_MeV[static_cast<int>(Emission::kBeta)] +
         energy_MeV[static_cast<int>(Emission::kElectron)];
}

ChainEnergy chain_energy(const NuclideLibrary& library, const std::string& nuclide, double horizon_day) {
  const DecayChain chain(library, nuclide);
  const Eigen::VectorXd atoms = chain.propagator(horizon_day).col(0);  // one parent atom at 0
  const Eigen::MatrixXd& m = chain.decay_matrix();
  const int n = chain.size();
  // Decays of member i by the horizon: what entered it minus what is left (members
  // come after their parents, so inflows are known when needed).
  std::vector<double> decays(n, 0.0);
  for (int i = 0; i < n; ++i) {
    double inflow = i == 0 ? 1.0 : 0.0;
    for (int j = 0; j < i; ++j)
      if (m(i, j) > 0.0) inflow += m(i, j) / chain.member(j).lambda_per_day * decays[j];
    decays[i] = chain.member(i).stable ? 0.0 : inflow - atoms[i];
  }
  ChainEnergy out;
  for (int i = 0; i < n; ++i) {
    const Nuclide& member = chain.member(i);
    if (member.stable) continue;
    const double per_parent = decays[i] / decays[0];
    out.decays[member.name] = per_parent;
    bool any = false;
    for (int e = 0; e < kEmissionCount; ++e)
      if (member.energy_MeV[e]) {
        out.energy_MeV[e] += per_parent * *member.energy_MeV[e];
        any = true;
      }
    if (per_parent <= 1e-6) continue;
    if (!any) {
      out.missing.push_back(member.name);
      continue;
    }
    // A decay mode whose emission has no energy in the library: named with the mode.
    for (const Branch& branch : member.branches) {
      const bool alpha = branch.mode == "alpha", beta = branch.mode == "beta-";
      if ((alpha && !member.energy_MeV[static_cast<int>(Emission::kAlpha)]) ||
          (beta && !member.energy_MeV[static_cast<int>(Emission::kBeta)])) {
        out.missing.push_back(member.name + " (" + branch.mode + ")");
        break;
      }
    }
  }
  return out;
}

OrganDosimetry::OrganDosimetry(const Phantom& phantom, const ChainEnergy& energy, std::string nuclide,
                               std::vector<std::string> sources)
    : phantom_(phantom), energy_(energy), nuclide_(std::move(nuclide)), sources_(std::move(sources)) {
  for (const std::string& s : sources_) phantom_.mass(s);  // named in the error when unknown
}

SValue OrganDosimetry::raw(const std::string& target, const std::string& source) const {
  auto table = phantom_.tables.find(nuclide_);
  if (table != phantom_.tables.end()) {
    auto it = table->second.find({target, source});
    if (it != table->second.end()) return {it->second, SOrigin::kTable};
  }
  const double np = energy_.nonpenetrating_MeV() * kMilligrayPerMeVMBqSecondKg;
  if (target == source) return {np / (phantom_.mass(target) / 1000.0), SOrigin::kSelfDoseEstimate};
  // Energy absorbed anywhere in the body is absorbed in the total body; activity
  // spread over the whole body gives every organ the same dose.
  if (source == "total_body" || target == "total_body")
    return {np / (phantom_.mass("total_body") / 1000.0), SOrigin::kUniformEstimate};
  return {0.0, SOrigin::kNoCrossDose};
}

// The remainder of the body (RB: total body less the explicit sources):
//   S(T <- RB) = (S(T <- TB) m_TB - sum_S S(T <- S) m_S) / m_RB      (MIRD)
SValue OrganDosimetry::s(const std::string& target, const std::string& source) const {
  if (source != "remainder") return raw(target, source);
  const SValue tb = raw(target, "total_body");
  double m_rb = phantom_.mass("total_body"), sum = tb.mGy_per_MBq_s * m_rb;
  bool estimate = tb.origin != SOrigin::kTable;
  for (const std::string& src : sources_) {
    const SValue v = raw(target, src);
    estimate = estimate || v.origin != SOrigin::kTable;
    sum -= v.mGy_per_MBq_s * phantom_.mass(src);
    m_rb -= phantom_.mass(src);
  }
  return {std::max(0.0, sum / m_rb), estimate ? SOrigin::kUniformEstimate : SOrigin::kRemainderCorrection};
}

double OrganDosimetry::dose_mGy(const std::string& target, const std::map<std::string, double>& tia_MBq_h) const {
  double d = 0.0;
  for (const auto& [source, tia] : tia_MBq_h) d += tia * 3600.0 * s(target, source).mGy_per_MBq_s;
  return d;
}

bool OrganDosimetry::estimated(const std::string& target) const {
  for (const std::string& src : sources_)
    if (s(target, src).origin != SOrigin::kTable) return true;
  const SOrigin r = s(target, "remainder").origin;
  return r != SOrigin::kTable && r != SOrigin::kRemainderCorrection;
}

}  // namespace icsim::radiation
