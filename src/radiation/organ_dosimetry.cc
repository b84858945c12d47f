#include "radiation/organ_dosimetry.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

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
  p.name = "ICRP 89 reference adult male";
  const YAML::Node organs = root["organs"]["adult_male"];
  if (!organs || !organs.IsMap()) doc.fail(root, "organs.adult_male", "missing: the phantom's organ masses");
  for (const auto& kv : organs) {
    const std::string organ = kv.first.as<std::string>();
    const YAML::Node& mass = kv.second["mass"];
    if (!kv.second.IsMap() || !mass || !mass.IsScalar() || mass.Scalar() == "derived") continue;
    p.mass_g[organ] = doc.in_unit(mass, "organs.adult_male." + organ + ".mass", "g");
    if (!(p.mass_g[organ] > 0)) doc.fail(mass, "organs.adult_male." + organ + ".mass", "must be > 0");
  }
  for (const char* required : {"total_body", "liver", "kidneys", "spleen", "red_marrow"})
    if (!p.mass_g.count(required)) doc.fail(organs, "organs.adult_male", fmt::format("missing the mass of '{}'", required));
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

double Phantom::mass(const std::string& organ) const {
  auto it = mass_g.find(organ);
  if (it == mass_g.end()) throw std::out_of_range(fmt::format("the phantom has no organ '{}'", organ));
  return it->second;
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
