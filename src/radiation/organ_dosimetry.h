// Organ-level MIRD dosimetry (docs/dosimetry.md): the absorbed dose to a target
// organ is the sum over source organs of the time-integrated activity in the source
// times S(target <- source), for a reference phantom (data/dosimetry/human_phantom.yaml:
// ICRP 89 adult masses; OLINDA 2 S-values where a table was found).
//
//   D(T) = sum_S A~(S) S(T <- S)
//
// Where the phantom has no table for the nuclide, S is estimated from the energy the
// nuclide (with its chain's daughters, decaying where it does) emits per decay as
// non-penetrating radiation (alpha particles, beta and other electrons), absorbed
// in full in the source organ: S(T <- T) = Delta_np / m_T, S(T <- total body) =
// Delta_np / m_TB, and no cross-dose between separate organs. Photons are left out,
// so such an estimate is a lower bound for a gamma emitter (I-131) and close for pure
// beta and alpha emitters; each S says how it was obtained.
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "radiation/nuclide.h"

namespace icsim::radiation {

struct Phantom {
  std::string name;
  std::map<std::string, double> mass_g;  // by organ ("liver", "red_marrow", "total_body", ...)
  // Published S-values, mGy/(MBq*s), by nuclide, then (target, source).
  std::map<std::string, std::map<std::pair<std::string, std::string>, double>> tables;
  std::map<std::string, std::string> table_source;  // by nuclide: which table
  // Sgouros 1993 blood method: red-marrow extracellular fluid fraction.
  double marrow_ecf_fraction = 0.19;

  // The adult male of data/dosimetry/human_phantom.yaml. Errors name file, line and key.
  static Phantom read_file(const std::string& path);
  static Phantom read_default();  // data_directory()/dosimetry/human_phantom.yaml
  // The human phantom, or the 25 g mouse of data/dosimetry/mouse_phantom.yaml (its
  // S-values are all estimates: no mouse table is read). Throws std::invalid_argument
  // for another species.
  static Phantom for_species(const std::string& species);
  double mass(const std::string& organ) const;  // g; throws naming the organ
};

// The source organs of a labelled antibody besides the red marrow (data/dosimetry/
// organ_sources.yaml): from the plasma activity concentration C_p (MBq/mL), the
// plasma's activity A_p = C_p V1 and the residualised catabolised label A_cat,
//
//   A_organ = f_blood A_p + ABC m_tissue C_p + s_cat A_cat
//
// the antibody in the organ's vascular plasma (its share of the blood volume, ICRP
// 89), in its extravascular tissue (antibody biodistribution coefficient, Shah &
// Betts 2013, times the tissue's mass at 1 mL/g), and its share of the label left where
// the antibody was catabolised. Time integrals follow from the same sum of the
// integrals, the equation being linear.
struct OrganSource {
  std::string organ;
  double blood_fraction = 0.0;   // of the plasma volume
  double interstitial_mL = 0.0;  // ABC x tissue mass: plasma-equivalent volume of the tissue's antibody
  double catabolism_share = 0.0;
  double abc = 0.0;  // antibody biodistribution coefficient (tissue over plasma concentration)
};

struct OrganSources {
  std::vector<OrganSource> organs;
  // Errors name file, line and key.
  static OrganSources read_file(const std::string& path);
  static OrganSources read_default();  // data_directory()/dosimetry/organ_sources.yaml
  // The same sources in another body: each organ's tissue is the phantom's organ mass
  // (the coefficients and fractions are kept: Shah & Betts's ABCs were measured in
  // mice, rats, monkeys and humans alike).
  OrganSources in_phantom(const Phantom& phantom) const;
};

// The explicit sources, scaled down together when they add up to more than the body
// holds (an estimate that asks for more antibody than the model has), and the
// "remainder": the body less the sources. None is negative (a source below zero by
// the integrator's round-off counts as zero).
std::map<std::string, double> with_remainder(std::map<std::string, double> sources, double body);

enum class SOrigin { kTable, kRemainderCorrection, kSelfDoseEstimate, kUniformEstimate, kNoCrossDose };
const char* to_string(SOrigin o);

struct SValue {
  double mGy_per_MBq_s = 0.0;
  SOrigin origin = SOrigin::kTable;
};

// Decays of every member of the nuclide's chain per decay of the nuclide, counted
// until `horizon_day` (daughters decaying where the parent did), and the energy they
// emit, by emission type, per decay of the nuclide.
struct ChainEnergy {
  std::map<std::string, double> decays;                   // per parent decay
  std::array<double, kEmissionCount> energy_MeV{};        // per parent decay, by emission
  // Members without an energy value, or with a decay mode ("Bi-213 (beta-)") whose
  // emission has none: the energy is incomplete by their share.
  std::vector<std::string> missing;
  double nonpenetrating_MeV() const;                      // alpha + beta + electron
};
ChainEnergy chain_energy(const NuclideLibrary& library, const std::string& nuclide, double horizon_day);

class OrganDosimetry {
 public:
  // `sources`: the source organs the time-integrated activities are given for,
  // besides "remainder" (the rest of the body), whose S-values follow from the
  // total-body ones by the MIRD remainder-of-body correction.
  OrganDosimetry(const Phantom& phantom, const ChainEnergy& energy, std::string nuclide,
                 std::vector<std::string> sources);
  SValue s(const std::string& target, const std::string& source) const;
  // mGy from time-integrated activities (MBq*h) by source organ ("remainder" allowed).
  double dose_mGy(const std::string& target, const std::map<std::string, double>& tia_MBq_h) const;
  // Whether any S-value used for the target is an estimate.
  bool estimated(const std::string& target) const;

 private:
  SValue raw(const std::string& target, const std::string& source) const;
  const Phantom& phantom_;
  ChainEnergy energy_;
  std::string nuclide_;
  std::vector<std::string> sources_;
};

}  // namespace icsim::radiation
