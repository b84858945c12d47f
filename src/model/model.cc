#include "model/model.h"

#include <algorithm>
#include <stdexcept>

namespace icsim {

int ModelBuilder::add_state(const std::string& name) {
  if (state_index_.count(name)) throw std::logic_error("state declared twice: " + name);
  state_index_[name] = static_cast<int>(states_.size());
  states_.push_back(name);
  return state_index_[name];
}

int ModelBuilder::state(const std::string& name) const {
  auto it = state_index_.find(name);
  return it == state_index_.end() ? -1 : it->second;
}

int ModelBuilder::add_quantity(const std::string& name) {
  if (quantity_index_.count(name)) throw std::logic_error("quantity declared twice: " + name);
  quantity_index_[name] = static_cast<int>(quantities_.size());
  quantities_.push_back(name);
  return quantity_index_[name];
}

int ModelBuilder::quantity(const std::string& name) const {
  auto it = quantity_index_.find(name);
  return it == quantity_index_.end() ? -1 : it->second;
}

int ModelBuilder::param(const std::string& name) const {
  auto it = params_.find(name);
  return it == params_.end() ? -1 : it->second;
}

int ModelBuilder::accumulator(const std::string& name) {
  if (!track_mass_balance) return -1;
  int i = state(name);
  return i >= 0 ? i : add_state(name);
}

Model::Model(std::vector<std::unique_ptr<Module>> modules, ModelBuilder&& b)
    : modules_(std::move(modules)),
      state_names_(b.state_names()),
      quantity_names_(b.quantity_names()),
      outputs_(std::move(b.outputs())),
      param_count_(b.param_count()) {
  for (size_t i = 0; i < state_names_.size(); ++i) state_index_[state_names_[i]] = static_cast<int>(i);
  for (size_t i = 0; i < quantity_names_.size(); ++i)
    quantity_index_[quantity_names_[i]] = static_cast<int>(i);
}

int Model::state(const std::string& name) const {
  auto it = state_index_.find(name);
  return it == state_index_.end() ? -1 : it->second;
}

int Model::quantity(const std::string& name) const {
  auto it = quantity_index_.find(name);
  return it == quantity_index_.end() ? -1 : it->second;
}

double Model::fastest_rate(const double* p) const {
  double r = 0.0;
  for (const auto& m : modules_) r = std::max(r, m->fastest_rate(p));
  return r;
}

void Model::prepare(double* p) const {
  for (const auto& m : modules_) m->prepare(p);
}

void Model::initialise(const double* p, double* y) const {
  std::fill(y, y + size(), 0.0);
  for (const auto& m : modules_) m->initialise(p, y);
}

void Model::derive(EvalContext& c) const {
  std::fill(c.q, c.q + quantity_count(), 0.0);
  for (const auto& m : modules_) m->derive(c);
}

void Model::rhs(EvalContext& c, double* dy) const {
  derive(c);
  std::copy(c.in, c.in + size(), dy);
  for (const auto& m : modules_) m->rhs(c, dy);
}

}  // namespace icsim
