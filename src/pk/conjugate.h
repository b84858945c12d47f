// What the pharmacokinetic mechanisms share about the conjugate: its species (one
// per DAR value), the names of the states and quantities they couple through, and
// pools of conjugate. Amounts in nmol, volumes in L, time in days
// (include/icsim/units.h). Species s carries `dar[s]` payload molecules per antibody.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace icsim {

struct ConjugateLayout {
  std::vector<int> dar = {0};              // payloads per antibody, by species
  std::vector<double> dose_fraction = {1};  // fraction of each dose, by species
  double molecular_weight = 0;             // g/mol of the conjugate
  int species() const { return static_cast<int>(dar.size()); }
};

// Names the mechanisms share (their build order follows src/model/mechanism.h's
// Dependencies, which use these names too).
namespace names {
std::string central(int species);
std::string peripheral(int species);
inline constexpr const char* kCentral = "conjugate.central";
inline constexpr const char* kPools = "conjugate.pools";
inline constexpr const char* kFreeFraction = "plasma.free_fraction";
inline constexpr const char* kPlasmaTotal = "plasma.conjugate_total_nM";
inline constexpr const char* kPayloadCentral = "payload.central";
inline constexpr const char* kAnalyte = "plasma_total_ug_per_mL";
}  // namespace names

// What a state of species s of a conjugate pool carries.
inline Carries conjugate_carries(const ConjugateLayout& layout, int s) {
  return {1.0, static_cast<double>(layout.dar[s]), 0.0};
}

// The central state of each species.
std::vector<int> central_states(const ModelBuilder& b, const ConjugateLayout& layout);
// A new pool of conjugate, one state per species named "<prefix>.<species>",
// registered so that deconjugation acts on it too.
std::vector<int> add_conjugate_pool(ModelBuilder& b, const ConjugateLayout& layout, const std::string& prefix);
// The free conjugate in plasma (ug/mL), once, for mechanisms that bind it.
void add_free_conjugate_output(ModelBuilder& b, const ConjugateLayout& layout);

}  // namespace icsim
