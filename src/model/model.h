// A model is a list of modules over one state vector. Each module owns a named
// slice of the state, reads individual parameters by index, and adds its terms to
// the right-hand side. Names are resolved to indices once, when the model is built;
// the right-hand side does no allocation and no look-ups.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace icsim {

// What a module sees during one right-hand-side evaluation.
struct EvalContext {
  double t = 0.0;
  const double* y = nullptr;   // state
  const double* p = nullptr;   // individual parameters (engine units)
  const double* in = nullptr;  // zero-order input rate per state (infusions), nmol/day
  double* q = nullptr;         // derived quantities, filled by Module::derive in module order
};

class Module {
 public:
  virtual ~Module() = default;
  virtual const char* name() const = 0;
  // Resolves couplings to modules built later (called once, after all are built).
  virtual void link(const class ModelBuilder& /*b*/) {}
  // Fills the derived parameters this module declared (once per patient), so the
  // right-hand side does not recompute functions of parameters alone.
  virtual void prepare(double* /*p*/) const {}
  // Initial state (before any dose), given the individual parameters.
  virtual void initialise(const double* /*p*/, double* /*y*/) const {}
  // Derived quantities other modules read (free fraction, plasma totals).
  virtual void derive(EvalContext& /*c*/) const {}
  // Adds this module's terms to dy (dy is zeroed before the first module).
  virtual void rhs(const EvalContext& c, double* dy) const = 0;
  // The fastest first-order rate (1/day) this module's processes reach for these
  // parameters, e.g. kon*R0 for binding: what makes the system stiff.
  virtual double fastest_rate(const double* /*p*/) const { return 0.0; }
};

// A column of the time series: a named function of the state.
struct OutputDef {
  std::string column;  // with its unit, e.g. "plasma_total_ug_per_mL"
  std::function<double(const EvalContext&)> value;
};

// Declares states, quantities, parameters and outputs while modules are built.
class ModelBuilder {
 public:
  int add_state(const std::string& name);
  int state(const std::string& name) const;  // -1 if absent
  int add_quantity(const std::string& name);
  int quantity(const std::string& name) const;  // -1 if absent
  // Index of a parameter in the individual parameter vector; -1 if the agent lacks it.
  int param(const std::string& name) const;
  void set_param_index(std::unordered_map<std::string, int> index) {
    params_ = std::move(index);
    param_count_ = static_cast<int>(params_.size());
  }
  // A slot after the individual parameters for a value derived from them; param()
  // finds it by name like any other parameter.
  int add_derived_param(const std::string& name) { return params_[name] = param_count_++; }
  int param_count() const { return param_count_; }
  // A state that only accumulates what has left the system (mass-balance checks);
  // -1 unless mass-balance tracking is on.
  int accumulator(const std::string& name);
  bool track_mass_balance = false;

  void add_output(OutputDef o) { outputs_.push_back(std::move(o)); }
  // Pools of conjugate amount by species (for deconjugation): one index per species.
  void add_conjugate_pool(std::vector<int> species_states) { pools_.push_back(std::move(species_states)); }

  const std::vector<std::string>& state_names() const { return states_; }
  const std::vector<std::string>& quantity_names() const { return quantities_; }
  std::vector<OutputDef>& outputs() { return outputs_; }
  const std::vector<std::vector<int>>& conjugate_pools() const { return pools_; }

 private:
  std::vector<std::string> states_, quantities_;
  std::unordered_map<std::string, int> state_index_, quantity_index_, params_;
  std::vector<OutputDef> outputs_;
  std::vector<std::vector<int>> pools_;
  int param_count_ = 0;
};

// Adds v to dy[i] when the state exists (optional couplings and accumulators).
inline void add_if(double* dy, int i, double v) {
  if (i >= 0) dy[i] += v;
}

// The built model: immutable, shared by all threads.
class Model {
 public:
  Model(std::vector<std::unique_ptr<Module>> modules, ModelBuilder&& b);

  int size() const { return static_cast<int>(state_names_.size()); }
  int quantity_count() const { return static_cast<int>(quantity_names_.size()); }
  // Individual plus derived parameters: the size of the vector the modules read.
  int param_count() const { return param_count_; }
  const std::vector<std::string>& state_names() const { return state_names_; }
  int state(const std::string& name) const;
  int quantity(const std::string& name) const;
  // The largest of the modules' fastest rates (1/day); p as for prepare().
  double fastest_rate(const double* p) const;

  // p holds the individual parameters and room for the derived ones (param_count()).
  void prepare(double* p) const;
  void initialise(const double* p, double* y) const;
  void derive(EvalContext& c) const;
  void rhs(EvalContext& c, double* dy) const;

  const std::vector<OutputDef>& outputs() const { return outputs_; }

 private:
  std::vector<std::unique_ptr<Module>> modules_;
  std::vector<std::string> state_names_, quantity_names_;
  std::unordered_map<std::string, int> state_index_, quantity_index_;
  std::vector<OutputDef> outputs_;
  int param_count_ = 0;
};

}  // namespace icsim
