#include "model/model.h"

#include <algorithm>
#include <stdexcept>

namespace icsim {

void ModelBuilder::missing(const char* what, const std::string& name) const {
  throw std::logic_error("module '" + module_ + "' asks for " + what + " '" + name + "' that nothing declares");
}

int ModelBuilder::add_state(const std::string& name, Carries carries) {
  if (state_index_.count(name)) throw std::logic_error("module '" + module_ + "' declares state '" + name + "' twice");
  state_index_[name] = static_cast<int>(states_.size());
  states_.push_back(name);
  carries_.push_back(carries);
  accumulators_.push_back(false);
  return state_index_[name];
}

int ModelBuilder::find_state(const std::string& name) const {
  auto it = state_index_.find(name);
  return it == state_index_.end() ? -1 : it->second;
}

int ModelBuilder::state(const std::string& name) const {
  const int i = find_state(name);
  if (i < 0) missing("state", name);
  return i;
}

int ModelBuilder::add_quantity(const std::string& name) {
  if (quantity_index_.count(name))
    throw std::logic_error("module '" + module_ + "' declares quantity '" + name + "' twice");
  quantity_index_[name] = static_cast<int>(quantities_.size());
  quantities_.push_back(name);
  return quantity_index_[name];
}

int ModelBuilder::find_quantity(const std::string& name) const {
  auto it = quantity_index_.find(name);
  return it == quantity_index_.end() ? -1 : it->second;
}

int ModelBuilder::quantity(const std::string& name) const {
  const int i = find_quantity(name);
  if (i < 0) missing("quantity", name);
  return i;
}

int ModelBuilder::find_param(const std::string& name) const {
  auto it = params_.find(name);
  return it == params_.end() ? -1 : it->second;
}

int ModelBuilder::param(const std::string& name) const {
  const int i = find_param(name);
  if (i < 0) missing("parameter", name);
  return i;
}

int ModelBuilder::add_derived_param(const std::string& name) {
  auto it = params_.find(name);
  if (it != params_.end()) return it->second;
  return params_[name] = param_count_++;
}

int ModelBuilder::accumulator(const std::string& name, Carries carries) {
  if (!track_mass_balance) return -1;
  int i = find_state(name);
  if (i >= 0) return i;
  i = add_state(name, carries);
  accumulators_[i] = true;
  return i;
}

void ModelBuilder::add_output_once(OutputDef o) {
  for (const auto& existing : outputs_)
    if (existing.column == o.column) return;
  outputs_.push_back(std::move(o));
}

std::vector<std::unique_ptr<Module>> Model::link_all(ModelBuilder& b) {
  for (auto& m : b.modules_) {
    b.begin_module(m->name());
    m->link(b);
  }
  return std::move(b.modules_);
}

Model::Model(ModelBuilder&& b)
    : modules_(link_all(b)),
      state_names_(b.states_),
      quantity_names_(b.quantities_),
      carries_(b.carries_),
      outputs_(std::move(b.outputs_)),
      dose_targets_(std::move(b.dose_targets_)),
      functions_(std::move(b.functions_)),
      param_count_(b.param_count()) {
  param_index_ = b.params_;
  accumulator_count_ = static_cast<int>(std::count(b.accumulators_.begin(), b.accumulators_.end(), true));
  std::stable_sort(outputs_.begin(), outputs_.end(),
                   [](const OutputDef& a, const OutputDef& c) { return a.group < c.group; });
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

int Model::output(const std::string& column) const {
  for (size_t i = 0; i < outputs_.size(); ++i)
    if (outputs_[i].column == column) return static_cast<int>(i);
  return -1;
}

int Model::find_param(const std::string& name) const {
  auto it = param_index_.find(name);
  return it == param_index_.end() ? -1 : it->second;
}

std::vector<std::string> Model::module_names() const {
  std::vector<std::string> out;
  for (const auto& m : modules_) out.push_back(m->name());
  return out;
}

const std::vector<std::pair<int, double>>& Model::dose_targets(const std::string& of) const {
  auto it = dose_targets_.find(of);
  if (it == dose_targets_.end())
    throw std::logic_error("the model has no dose target for '" + (of.empty() ? std::string("the agent") : of) + "'");
  return it->second;
}

const ParamFunction* Model::function(const std::string& name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
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
