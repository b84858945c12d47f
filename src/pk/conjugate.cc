#include "pk/conjugate.h"

namespace icsim {

std::string names::central(int s) { return "conjugate.central." + std::to_string(s); }
std::string names::peripheral(int s) { return "conjugate.peripheral." + std::to_string(s); }

std::vector<int> central_states(const ModelBuilder& b, const ConjugateLayout& layout) {
  std::vector<int> states;
  for (int s = 0; s < layout.species(); ++s) states.push_back(b.state(names::central(s)));
  return states;
}

std::vector<int> add_conjugate_pool(ModelBuilder& b, const ConjugateLayout& layout, const std::string& prefix) {
  std::vector<int> pool;
  for (int s = 0; s < layout.species(); ++s)
    pool.push_back(b.add_state(prefix + "." + std::to_string(s), conjugate_carries(layout, s)));
  b.add_conjugate_pool(pool);
  return pool;
}

void add_free_conjugate_output(ModelBuilder& b, const ConjugateLayout& layout) {
  const int ff = b.quantity(names::kFreeFraction);
  const int v1 = b.param("disposition.V1");
  const std::vector<int> central = central_states(b, layout);
  const double mw = layout.molecular_weight;
  b.add_output_once({"plasma_free_ug_per_mL",
                     [central, ff, v1, mw](const EvalContext& c) {
                       double sum = 0.0;
                       for (int i : central) sum += c.y[i];
                       return sum / c.p[v1] * c.q[ff] * mw * 1e-6;
                     },
                     OutputGroup::kFreeConjugate});
}

}  // namespace icsim
