// Physical quantities as people write them ("2.5 mg/kg", "0.926 L/day", "21.7 mg/L")
// and their conversion to engine units (include/icsim/units.h).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace icsim {

// Exponents of the base dimensions.
struct Dim {
  enum Base { kMass, kLength, kTime, kAmount, kCell, kActivity, kCount };
  std::array<int, kCount> e{};
  bool operator==(const Dim&) const = default;
  Dim operator*(const Dim& o) const;
  Dim inverse() const;
  bool dimensionless() const { return *this == Dim{}; }
};

// A unit: its size in SI base units (kg, m, s, mol, cell, Bq) and its dimension.
struct Unit {
  double si = 1.0;
  Dim dim;
};

// Parses a unit expression such as "L/day", "1/nM/h", "mg/m2", "g/dL", "kDa".
// Throws std::invalid_argument with a readable reason.
Unit parse_unit(std::string_view text);

struct Quantity {
  double value = 0.0;  // magnitude in SI base units
  Dim dim;
  bool has_unit = false;
  std::string unit_text;
  double written = 0.0;  // the number as written
  double unit_si = 1.0;  // the size of the written unit in SI base units
};

// Parses "<number> [unit]". Throws std::invalid_argument.
Quantity parse_quantity(std::string_view text);

// Converts to the given unit. A quantity written in a unit of the same size comes
// back exactly as written (no round trip through SI), so values icsim writes in
// engine units read back bit for bit. Where the quantity is written per mass and
// the unit per amount (or the reverse), converts with the molecular weight (g/mol);
// a molecular weight of 0 means none is known. Throws std::invalid_argument.
double convert(const Quantity& q, const Unit& to, double mw_g_per_mol = 0.0);

// Human-readable form of a dimension, for messages ("mass/volume").
std::string describe(const Dim& d);

}  // namespace icsim
