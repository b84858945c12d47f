#include "trial/observers/observers.h"

#include <stdexcept>

#include "pk/conjugate.h"
#include "pk/exposure/exposure.h"

namespace icsim {

std::vector<std::unique_ptr<Observer>> standard_observers(const Model& model, double molecular_weight,
                                                          const std::vector<double>& output_times) {
  const int analyte = model.output(names::kAnalyte);
  const int auc = model.state(kExposureState);
  if (analyte < 0 || auc < 0)
    throw std::logic_error("the exposure observer needs the output '" + std::string(names::kAnalyte) +
                           "' and the state '" + kExposureState + "'");
  std::vector<std::unique_ptr<Observer>> out;
  out.push_back(make_output_grid(model, output_times));
  out.push_back(make_exposure(model, analyte, auc, molecular_weight));
  out.push_back(make_half_life(model));
  return out;
}

}  // namespace icsim
