// Free daughters of a radiolabel's chain (docs/radioimmunoconjugates.md): the recoil
// of an alpha decay (about 100 keV) breaks any chelate, so the daughter of a label on
// an antibody outside cells leaves the carrier (225Ac -> 221Fr, which gives 213Bi),
// and a beta decay frees part of its daughters by internal conversion (212Pb ->
// 212Bi, 36 %). Inside a cell the daughters largely stay where the label was.
//
// A released atom and everything it decays into are followed with the biokinetic
// model of their element (data/dosimetry/free_daughters.yaml: bismuth by ICRP 137's
// systemic model, francium where it was released), member by member: each followed
// member has one state per compartment of its element's model,
//
//   dN_k,c/dt = f R y_k [c entry]  + sum_j lambda_j N_j,c y_jk  - lambda_k N_k,c
//               + sum_c' r_c'c N_k,c' - sum_c' r_cc' N_k,c
//
// with R the label's decays on antibody outside cells (per day), f the released
// fraction, y_k the atoms of member k formed per decay of the label (y_jk per decay
// of followed member j) through members that are not followed (too short-lived to
// move, or without an element model: they decay where their followed ancestor did).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "radiation/nuclide.h"

namespace icsim {
class Module;
class ModelBuilder;
}  // namespace icsim

namespace icsim::radiation {

// The regions of the dosimetry a free daughter's compartment belongs to.
enum class Region { kBlood = 0, kKidneys, kLiver, kElsewhere };
inline constexpr int kRegionCount = 4;
const char* region_name(Region r);

// The biokinetic model of an element's free ions: compartments (the first is where
// released atoms enter) and first-order transfers between them.
struct ElementModel {
  struct Transfer {
    int from = 0, to = 0;
    double per_day = 0.0;
  };
  std::string element;
  std::vector<std::string> compartments;
  std::vector<Region> region;  // by compartment
  std::vector<Transfer> transfers;
  std::string source;
  int compartment(const std::string& name) const;  // -1 when absent
};

struct FreeDaughterData {
  std::map<std::string, ElementModel> elements;          // by element ("Bi")
  std::map<std::string, double> release_fraction;        // by parent nuclide
  double min_half_life_day = 1.0 / 1440.0;               // shorter-lived members do not move
  std::string file;

  // Errors name file, line and key.
  static FreeDaughterData read_file(const std::string& path);
  // data_directory()/dosimetry/free_daughters.yaml, read once and kept.
  static const FreeDaughterData& shared();
};

// A label's chain as the free-daughter model follows it.
struct FreeChain {
  std::string parent;
  double release_fraction = 0.0;
  std::vector<int> followed;                   // chain indices of the followed members
  std::vector<const ElementModel*> model;      // by followed member
  std::vector<double> from_parent;             // y_k: atoms of k per decay of the label
  std::vector<std::vector<double>> from_member;  // y_jk: atoms of k per decay of followed j
  std::vector<double> decays;                  // of each followed member per label decay (complete decay)
  // Energy emitted as alpha, beta and electrons (MeV per label decay, complete decay):
  // by the members that decay where the label did whatever happens to the daughters
  // (the label's group), and by each followed member's group (the member and those
  // after it that decay where it does).
  double label_group_MeV = 0.0;
  std::vector<double> group_MeV;

  bool empty() const { return followed.empty(); }
  double chain_MeV() const;
  // Per decay of a label whose daughters are released (on antibody outside cells).
  double in_place_MeV() const;
  // Per decay of followed member k, its group's energy.
  double per_decay_MeV(size_t k) const { return group_MeV[k] / decays[k]; }
};

// The followed members of `nuclide`'s chain: those within the released part with an
// element model, a half-life of at least data.min_half_life_day and at most 20
// half-lives of the label (longer-lived ones hardly decay in the label's time).
// Empty when there is none or the nuclide has no released fraction in the data.
FreeChain free_chain(const NuclideLibrary& library, const FreeDaughterData& data, const std::string& nuclide);

// The free daughters' equations on a block of states laid out member by member,
// compartment by compartment (the layout of FreeChain::followed and each model's
// compartments).
class FreeDaughterKinetics {
 public:
  FreeDaughterKinetics(const NuclideLibrary& library, FreeChain chain);
  const FreeChain& chain() const { return chain_; }
  int size() const { return size_; }
  int offset(size_t k) const { return offset_[k]; }            // first state of member k
  double lambda_per_day(size_t k) const { return lambda_[k]; }
  // Adds to dy the terms of the equations above for `release_per_day` label decays
  // per day on antibody outside cells (amounts in any unit, rates per day).
  void rhs(double release_per_day, const double* y, double* dy) const;
  // The largest rate in the equations (per day), for the solver choice.
  double fastest_rate() const;

 private:
  FreeChain chain_;
  std::vector<double> lambda_;
  std::vector<int> offset_;
  // Where a daughter formed in compartment c of member j enters member k's model.
  std::vector<std::vector<std::vector<int>>> entry_;  // [j][k][c]
  int size_ = 0;
};

// The model's module for a labelled agent whose daughters are released: the states
// above (label.free.MEMBER.COMPARTMENT), fed by the label on antibody in fluid and on
// cell surfaces (the conjugate pools; not the label in cells, nor the residualised
// label), and their activities and time integrals by region as outputs:
// free_TAG_REGION_MBq, tia_free_TAG_REGION_MBq_h (TAG: bi213, fr221, ...), and the
// label whose daughters are released, release_sites_MBq and its integral
// tia_release_sites_MBq_h (with a tumour in the marrow, its share there:
// release_tumour_marrow_MBq, tia_release_tumour_marrow_MBq_h).
// `labels`: label atoms per unit of the labelled species (Decay's, label.cc).
std::unique_ptr<Module> make_free_daughters(ModelBuilder& b, const NuclideLibrary& library, const FreeChain& chain,
                                            int labels);
// The column tag of a member: "Bi-213" -> "bi213".
std::string member_tag(const std::string& nuclide);

}  // namespace icsim::radiation
