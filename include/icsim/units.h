// Engine units: the one unit system used inside icsim.
//
//   time            day
//   amount          nmol
//   mass            mg
//   volume          L
//   concentration   nM (nmol/L)
//   clearance       L/day
//   first-order     1/day
//   second-order    1/(nM*day)
//   molecular mass  g/mol (Da)
//
// Every value read from a scenario or data file carries its unit and is
// converted to these on input (src/core/quantity.cc). Outputs name their
// unit in the column name (e.g. plasma_total_ug_per_mL).
#pragma once

namespace icsim::units {

inline constexpr double kSecondsPerDay = 86400.0;
inline constexpr double kHoursPerDay = 24.0;

// nmol of a species of molecular weight mw_g_per_mol in one mg.
inline constexpr double nmol_per_mg(double mw_g_per_mol) { return 1e6 / mw_g_per_mol; }

// ug/mL (= mg/L) for a concentration in nM of a species of molecular weight mw.
inline constexpr double ug_per_mL_from_nM(double nM, double mw_g_per_mol) {
  return nM * mw_g_per_mol * 1e-6;
}

}  // namespace icsim::units
