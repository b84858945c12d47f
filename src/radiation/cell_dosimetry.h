// Cellular dosimetry of radioimmunoconjugates (docs/cell-dosimetry.md): S-values from
// the nucleus, cytoplasm and surface of a spherical cell to its nucleus, by emission
// type, computed by a straight-track continuous-slowing-down (CSDA) model in liquid
// water; the cross-fire from activity in the surrounding marrow and in its blood; and
// the dose rate to the nucleus of a myeloma cell from all of them.
//
// Units: lengths in micrometres (um), energies in MeV, activity in Bq, concentrations
// in Bq/mL, S-values in Gy/(Bq s) (= Gy per decay), dose rates in Gy/s. Tissue is unit
// density water (1 g/mL). Not yet wired into the patient model.
#pragma once

#include <array>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "radiation/nuclide.h"

namespace icsim::radiation {

// ---- geometry ----------------------------------------------------------------------

// A cell and its nucleus as concentric spheres (the MIRD cellular model, Goddu et al.
// 1994, J Nucl Med 35:303).
struct CellGeometry {
  // A sphere of the myeloma cell volume in the cellular mechanism (1.4 pL: radius
  // 6.94 um); docs/cell-dosimetry.md gives the reasoning for both radii.
  double cell_radius_um = 6.94;
  // Nucleus diameter 9 um: 8-10 um is the "intermediate" myeloma cell of Greipp et al.'s
  // typing; nucleus/cell diameter >= 0.65 marks poor-prognosis cells in myeloma
  // morphometry (2013). Estimate; docs/cell-dosimetry.md.
  double nucleus_radius_um = 4.5;

  // The radius (um) of a sphere of `volume_L` litres (1 L = 1e15 um^3).
  static double radius_of_volume_um(double volume_L);
  // 0 < nucleus radius < cell radius, both finite. `why` gets the reason when false.
  bool is_valid(std::string* why) const;
  double nucleus_mass_kg() const;
  double cell_mass_kg() const;
};

// Where the activity of a cell sits.
enum class SourceRegion { kNucleus = 0, kCytoplasm, kCellSurface };
inline constexpr int kSourceRegionCount = 3;
const char* source_region_name(SourceRegion r);  // "nucleus", "cytoplasm", "cell surface"

// ---- slowing down in water -----------------------------------------------------------

// Continuous slowing down of one particle type in unit-density water along a straight
// track: the CSDA range of an energy and its inverse, the energy left at a residual range.
class StoppingModel {
 public:
  virtual ~StoppingModel() = default;
  virtual const char* name() const = 0;
  virtual double csda_range_um(double energy_MeV) const = 0;
  // Kinetic energy of the particle when its residual range is `residual_um`; 0 when
  // residual_um <= 0. Monotone increasing.
  virtual double energy_at_residual_range_MeV(double residual_um) const = 0;
};

// Alpha particles: the ICRU 49 / ASTAR electronic stopping power of liquid water
// (data/dosimetry/alpha_stopping_power_water.yaml), interpolated log-log between the
// tabulated energies, proportional to sqrt(E) below the first (velocity-proportional
// stopping), integrated for the range.
class AlphaStoppingTable final : public StoppingModel {
 public:
  // Errors name file, line and key (InputError): unequal lists, energies not strictly
  // increasing, a stopping power not positive, a missing source.
  static AlphaStoppingTable read_file(const std::string& path);
  // data_directory()/dosimetry/alpha_stopping_power_water.yaml
  static AlphaStoppingTable read_default();

  const char* name() const override { return "alpha (ICRU 49 / ASTAR)"; }
  double csda_range_um(double energy_MeV) const override;
  double energy_at_residual_range_MeV(double residual_um) const override;
  // Electronic mass stopping power, MeV cm2/g (= linear stopping in MeV/cm at 1 g/cm3).
  double stopping_power_MeV_cm2_per_g(double energy_MeV) const;
  double max_energy_MeV() const { return energy_.back(); }
  const std::vector<std::pair<double, double>>& cross_check() const { return cross_check_; }
  const std::string& source() const { return source_; }

 private:
  void build_range_table();
  std::vector<double> energy_, stopping_;  // the table (MeV, MeV cm2/g)
  std::vector<double> exponent_;           // log-log slope of S on [E_i, E_i+1]
  std::vector<double> range_;              // CSDA range at E_i (g/cm2)
  std::vector<std::pair<double, double>> cross_check_;
  std::string source_;
};

// Electrons: Cole's empirical energy-range relation for electrons in water (Cole 1969,
// Radiat Res 38:7), dE/dr = 3.316 (r + 0.007)^-0.435 + 0.0055 r^0.33 keV/um with r the
// residual range in um, integrated in closed form; the relation of the MIRD cellular
// S-values (Goddu et al. 1994). Straight tracks: electron scattering is ignored.
class ElectronColeModel final : public StoppingModel {
 public:
  const char* name() const override { return "electron (Cole 1969)"; }
  double csda_range_um(double energy_MeV) const override;
  double energy_at_residual_range_MeV(double residual_um) const override;
};

// ---- geometry of energy deposition -------------------------------------------------------

// Mean energy (MeV) a particle of `energy_MeV`, emitted isotropically from a point at
// distance `d_um` from the centre of a sphere of radius `target_um`, deposits inside that
// sphere along its straight track. Adaptive Gauss-Kronrod over the direction cosine with
// absolute tolerance `tol` x energy.
double mean_energy_in_sphere_MeV(const StoppingModel& model, double energy_MeV, double d_um, double target_um,
                                 double tol = 1e-10);

// A source uniform in the volume of the shell inner_um < r < outer_um (inner_um = 0: a
// ball), or on the surface r = outer_um when `surface` is true.
struct SourceShell {
  double inner_um = 0;
  double outer_um = 0;
  bool surface = false;
};

// Mean energy (MeV) deposited inside the sphere of radius `target_um` per particle of
// `energy_MeV` emitted from a source uniform over `source` (the average of
// mean_energy_in_sphere_MeV over the source, adaptive Gauss-Kronrod in the radius).
double mean_energy_from_source_MeV(const StoppingModel& model, double energy_MeV, const SourceShell& source,
                                   double target_um, double tol = 1e-10);

// ---- emission data -----------------------------------------------------------------------

struct Line {
  double energy_MeV = 0;  // the particle's energy; the mean energy of a beta branch
  double per_decay = 0;   // particles per decay of the nuclide
};

struct NuclideEmissions {
  std::string name;
  std::vector<Line> alpha, beta, electron;  // electron: conversion and Auger lines
  double photon_MeV = 0;                    // photon energy per decay (leaves the cell)
  double listed_electron_MeV = 0;           // the source table's total (betas + electrons)
  std::string source;
  double energy_per_decay_MeV(Emission e) const;  // sum of lines (beta: yield x mean)
};

class EmissionLibrary {
 public:
  // InputError naming file, line and key: unknown keys, an entry not [energy, yield], a
  // negative or non-finite number, a missing source.
  static EmissionLibrary read_file(const std::string& path);
  // data_directory()/dosimetry/cell_emissions.yaml
  static EmissionLibrary read_default();
  const NuclideEmissions* find(const std::string& name) const;
  // Throws std::out_of_range naming the nuclide and the closest known name.
  const NuclideEmissions& get(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, NuclideEmissions> nuclides_;
};

// A beta branch given only its mean energy, as an electron spectrum: the allowed
// phase-space shape N(T) ~ p W (Q - T)^2 (Fermi function omitted) with the end-point Q
// chosen so that the mean is `mean_MeV`, discretised at `nodes` Gauss-Legendre points on
// [0, Q] (in u = sqrt(T/Q)). The returned lines sum to `per_decay` particles.
std::vector<Line> beta_spectrum_lines(double mean_MeV, double per_decay, int nodes = 32);
// The end-point (MeV) of that shape for a given mean.
double beta_endpoint_for_mean_MeV(double mean_MeV);

// ---- S-values ------------------------------------------------------------------------------

// Emission types that deposit energy in a cell: alpha, beta (beta-minus spectra) and
// other electrons (conversion, Auger). Photons are not counted at cell scale (their mean
// free path is centimetres; their dose belongs to the organ-level S-values).
struct NucleusSValues {
  std::string nuclide;
  // s[source region][emission] in Gy/(Bq s); photon entries stay 0.
  std::array<std::array<double, kEmissionCount>, kSourceRegionCount> s{};
  double total(SourceRegion r) const;
  double of(SourceRegion r, Emission e) const { return s[static_cast<int>(r)][static_cast<int>(e)]; }
};

struct SValueOptions {
  int beta_nodes = 32;      // Gauss-Legendre points per beta branch; >= 2
  double tolerance = 1e-9;  // relative quadrature tolerance; in (0, 1e-3]
  bool is_valid(std::string* why) const;
};

// S(nucleus <- region) for every region and emission type of one nuclide.
NucleusSValues nucleus_s_values(const NuclideEmissions& nuclide, const CellGeometry& cell, const StoppingModel& alpha,
                                const StoppingModel& electron, const SValueOptions& options = {});

// ---- cross-fire --------------------------------------------------------------------------

// Activity spread uniformly through a region of marrow around the cell: its extracellular
// tissue (unbound conjugate, activity on and in other cells) and its blood.
struct CrossfireOptions {
  // Radius (um) of the spherical region of uniform activity with the cell at its centre;
  // +infinity (default) is charged-particle equilibrium. A marrow cavity is a fraction
  // of a millimetre to millimetres across: alpha particles (range < 0.1 mm) see
  // equilibrium at any such size, betas (ranges 0.2-11 mm) do not.
  double region_radius_um = std::numeric_limits<double>::infinity();
  // Volume fraction of the marrow region that is blood; no default (a parameter of the
  // patient's marrow): must be set in [0, 1).
  double blood_volume_fraction = -1;
  bool is_valid(std::string* why) const;
};

// Dose rate to the cell's nucleus per unit activity concentration (Gy/s per Bq/mL) of a
// nuclide spread uniformly through the region outside the cell, by emission type:
//   D = 1000 * C * E_e * f_e - C * V_cell * S(N <- whole cell, e),
// the equilibrium dose rate (energy per decay E_e in J times the decays per kg, 1000 per
// mL of unit-density tissue) times the fraction f_e of energy reaching the region's
// centre, less what the cell's own volume would contribute if it held the same
// concentration (the cell's own activity is counted by its S-values instead).
std::array<double, kEmissionCount> crossfire_per_concentration(const NuclideEmissions& nuclide, const NucleusSValues& s,
                                                               const CellGeometry& cell, double region_radius_um,
                                                               const StoppingModel& alpha,
                                                               const StoppingModel& electron, int beta_nodes = 32);

// ---- dose rate to the nucleus ------------------------------------------------------------

// Activity of one nuclide seen by one cell.
struct CellActivity {
  std::string nuclide;
  double surface_Bq = 0;        // bound to the cell surface, per cell
  double cytoplasm_Bq = 0;      // internalised, per cell
  double nucleus_Bq = 0;        // in the nucleus, per cell (free daughters; usually 0)
  double tissue_Bq_per_mL = 0;  // in the extravascular marrow around the cell
  double blood_Bq_per_mL = 0;   // in blood
};

// Dose rate (Gy/s) to the nucleus, by emission type, split by origin: the cell's own
// activity, activity in the marrow around it, and activity in the marrow's blood. Alpha
// is kept apart so that a relative biological effectiveness can be applied to it.
struct NucleusDoseRate {
  std::array<double, kEmissionCount> self{}, tissue{}, blood{};
  double of(Emission e) const;  // self + tissue + blood
  double alpha() const { return of(Emission::kAlpha); }
  double electron() const { return of(Emission::kBeta) + of(Emission::kElectron); }
  double total() const;
};

// S-values and cross-fire factors for a cell geometry and marrow region, computed once
// for every nuclide of the emission library; then dose rates for any activities.
class CellDosimetry {
 public:
  // Throws std::invalid_argument naming the function and the argument when an option
  // is invalid.
  CellDosimetry(const EmissionLibrary& library, const CellGeometry& cell, const CrossfireOptions& crossfire,
                const StoppingModel& alpha, const StoppingModel& electron, const SValueOptions& options = {});

  const CellGeometry& cell() const { return cell_; }
  const NucleusSValues& s_values(const std::string& nuclide) const;
  // Gy/s per Bq/mL, by emission type (crossfire_per_concentration).
  const std::array<double, kEmissionCount>& crossfire(const std::string& nuclide) const;
  // Throws std::out_of_range for a nuclide the library does not hold.
  NucleusDoseRate dose_rate(const std::vector<CellActivity>& activities) const;

 private:
  struct Entry {
    NucleusSValues s;
    std::array<double, kEmissionCount> crossfire{};
  };
  const Entry& entry(const std::string& nuclide) const;
  CellGeometry cell_;
  CrossfireOptions crossfire_options_;
  std::map<std::string, Entry> entries_;
};

}  // namespace icsim::radiation
