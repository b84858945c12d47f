// Radionuclides and their decay chains: the nuclide library (data/nuclides/) and the
// exact solution of a branched chain's decay equations (docs/radiation.md).
//
// Not yet wired into the patient model: a radioimmunoconjugate mechanism will use a
// DecayChain for the physical decay of its label and the ingrowth of daughters.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "model/spec.h"

namespace icsim::radiation {

// How the mean energy per decay is split (see data/nuclides/nuclides.yaml).
enum class Emission { kAlpha = 0, kBeta, kElectron, kPhoton };
inline constexpr int kEmissionCount = 4;
const char* emission_name(Emission e);

struct Branch {
  std::string daughter;
  std::string mode;      // "alpha", "beta-", "EC", "IT", ...
  double fraction = 0;   // of the decays of the parent
};

struct Nuclide {
  std::string name;                 // "Ac-225"
  bool stable = false;
  double half_life_day = 0;         // +infinity when stable
  double lambda_per_day = 0;        // ln 2 / half-life; 0 when stable
  std::vector<Branch> branches;     // empty when stable
  // Mean energy per decay of this nuclide (MeV), by emission type; empty where the
  // library has no value.
  std::array<std::optional<double>, kEmissionCount> energy_MeV;
  std::string energy_status;        // "sourced", "partial", "estimate", "not found", "" (stable)
  std::string source;               // half-life and branching
  std::string energy_source;
  Origin origin;                    // where it was read
};

class NuclideLibrary {
 public:
  // Reads a library file; every problem is an InputError naming file, line and key:
  // unknown keys, a half-life without a time unit or not positive, a fraction
  // outside (0, 1], fractions that do not sum to 1 (within 1e-5), a daughter the
  // file does not define, a nuclide that is its own ancestor, a missing source.
  static NuclideLibrary read_file(const std::string& path);
  // data_directory()/nuclides/nuclides.yaml
  static NuclideLibrary read_default();
  // read_default(), read once and kept (the model builds read it per cohort).
  static const NuclideLibrary& shared();

  const Nuclide* find(const std::string& name) const;
  // Throws std::out_of_range naming the nuclide and the closest known name.
  const Nuclide& get(const std::string& name) const;
  std::vector<std::string> names() const;
  size_t size() const { return nuclides_.size(); }

 private:
  std::map<std::string, Nuclide> nuclides_;
};

// A parent and everything it decays into, down to the stable ends, ordered so that
// every member comes after all of its parents (the decay matrix is then lower
// triangular). Units: time in days.
class DecayChain {
 public:
  DecayChain(const NuclideLibrary& library, const std::string& parent);

  int size() const { return static_cast<int>(members_.size()); }
  const std::vector<const Nuclide*>& members() const { return members_; }
  const Nuclide& member(int i) const { return *members_[i]; }
  int index(const std::string& name) const;  // -1 when not in the chain
  // dN/dt = M N: M(i,i) = -lambda_i, M(i,j) = fraction(j -> i) * lambda_j (per day).
  const Eigen::MatrixXd& decay_matrix() const { return matrix_; }
  Eigen::VectorXd lambdas_per_day() const;

  // exp(M t): column j is the atoms of every member at time t from one atom of
  // member j at 0. The Bateman solution of the branched chain, summed over the
  // paths through it, each term a divided difference of exp computed stably (Taylor
  // series for nodes closer than 1, recurrence otherwise): accurate to rounding for
  // equal or nearly equal half-lives, for tiny early-time amounts, and for the chain's
  // stiffness (decay constants spanning 11 decades), where both the textbook sum of
  // exponentials and a scaling-and-squaring matrix exponential lose digits.
  Eigen::MatrixXd propagator(double t_day) const;

  // Atoms of every member at t from atoms n0 at time 0.
  Eigen::VectorXd atoms(double t_day, const Eigen::VectorXd& n0) const;
  // Activities A_i(t) = lambda_i N_i(t) of every member when the chain starts as pure
  // parent of activity a0 (any activity unit; the result is in the same unit).
  Eigen::VectorXd activities(double t_day, double a0) const;

 private:
  std::vector<const Nuclide*> members_;
  Eigen::MatrixXd matrix_;
};

}  // namespace icsim::radiation
