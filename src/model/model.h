// A model is a list of modules over one state vector. Each module owns a named
// slice of the state, reads individual parameters by index, and adds its terms to
// the right-hand side. Names are resolved to indices once, when the model is built;
// the right-hand side does no allocation and no look-ups.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
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
  virtual void link(class ModelBuilder& /*b*/) {}
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

// What one unit of a state stands for, so conservation can be summed over any
// model: nmol of antibody, nmol of payload, MBq of activity.
struct Carries {
  double antibody = 0.0;
  double payload = 0.0;
  double activity = 0.0;
};

// Where a column goes in the time series: columns are grouped, in this order, and
// keep the order of their modules within a group.
enum class OutputGroup { kAnalyte, kBindingPartner, kFreeConjugate, kConjugateForm, kPayload, kOther };

// A column of the time series: a named function of the state.
struct OutputDef {
  std::string column;  // with its unit, e.g. "plasma_total_ug_per_mL"
  std::function<double(const EvalContext&)> value;
  OutputGroup group = OutputGroup::kOther;
};

// A function of the parameters (as prepared) and time that a module offers to
// observers, e.g. the terminal half-life of a linear disposition.
using ParamFunction = std::function<double(const double* p, double t)>;

// Declares states, quantities, parameters and outputs while modules are built.
// Asking for a name nothing declared is a programming error that names the module
// and the name (std::logic_error); the find_* forms are for optional couplings.
class ModelBuilder {
 public:
  // The module being built: named in errors.
  void begin_module(std::string name) { module_ = std::move(name); }
  const std::string& current_module() const { return module_; }

  int add_state(const std::string& name, Carries carries = {});
  int state(const std::string& name) const;
  int find_state(const std::string& name) const;  // -1 if absent
  int add_quantity(const std::string& name);
  int quantity(const std::string& name) const;
  int find_quantity(const std::string& name) const;  // -1 if absent
  // Index of a parameter in the individual parameter vector.
  int param(const std::string& name) const;
  int find_param(const std::string& name) const;  // -1 if the agent lacks it
  void set_param_index(std::unordered_map<std::string, int> index) {
    params_ = std::move(index);
    param_count_ = static_cast<int>(params_.size());
  }
  // A slot after the individual parameters for a value derived from them; param()
  // finds it by name like any other parameter. Declaring one twice returns the slot.
  int add_derived_param(const std::string& name);
  int param_count() const { return param_count_; }
  // A state that only accumulates what has left the system (mass-balance checks);
  // -1 unless mass-balance tracking is on.
  int accumulator(const std::string& name, Carries carries);
  bool track_mass_balance = false;

  // The builder keeps the modules until the Model takes them.
  void add_module(std::unique_ptr<Module> m) { modules_.push_back(std::move(m)); }
  void add_output(OutputDef o) { outputs_.push_back(std::move(o)); }
  // Adds the output unless a column of that name exists.
  void add_output_once(OutputDef o);
  // Pools of conjugate amount by species (for deconjugation): one index per species.
  void add_conjugate_pool(std::vector<int> species_states) { pools_.push_back(std::move(species_states)); }
  // Conjugate on or in cells, by species (the tumour's complexes and endosomes): a
  // label decays there as anywhere, while deconjugation, a process of the conjugate
  // in fluid, does not act on them.
  void add_cell_conjugate(std::vector<int> species_states) { cell_pools_.push_back(std::move(species_states)); }
  // Where a dose goes: state and fraction of each dose. `of` names what is dosed
  // when it is not the agent (a regimen phase's `of:`, e.g. a pretargeted hapten).
  void add_dose_target(int state, double fraction, const std::string& of = "") {
    dose_targets_[of].emplace_back(state, fraction);
  }
  void provide(const std::string& name, ParamFunction f) { functions_[name] = std::move(f); }
  // Something binds the conjugate in plasma, so free and total differ and the
  // disposition is no longer linear.
  void set_binds_conjugate() { binds_conjugate_ = true; }
  bool binds_conjugate() const { return binds_conjugate_; }

  const std::vector<std::string>& state_names() const { return states_; }
  const std::vector<std::string>& quantity_names() const { return quantities_; }
  std::vector<OutputDef>& outputs() { return outputs_; }
  const std::vector<std::vector<int>>& conjugate_pools() const { return pools_; }
  const std::vector<std::vector<int>>& cell_conjugates() const { return cell_pools_; }
  // States holding a label's atoms off the antibody (in the tumour's cells after
  // lysosomal degradation, on a free pretargeted hapten): the label decays there too.
  void add_label_residue(int state) { label_residues_.push_back(state); }
  const std::vector<int>& label_residues() const { return label_residues_; }

 private:
  friend class Model;
  [[noreturn]] void missing(const char* what, const std::string& name) const;
  std::string module_ = "(no module)";
  std::vector<std::unique_ptr<Module>> modules_;
  std::vector<std::string> states_, quantities_;
  std::vector<Carries> carries_;
  std::vector<bool> accumulators_;
  std::unordered_map<std::string, int> state_index_, quantity_index_, params_;
  std::vector<OutputDef> outputs_;
  std::vector<std::vector<int>> pools_, cell_pools_;
  std::vector<int> label_residues_;
  std::unordered_map<std::string, std::vector<std::pair<int, double>>> dose_targets_;
  std::unordered_map<std::string, ParamFunction> functions_;
  int param_count_ = 0;
  bool binds_conjugate_ = false;
};

// Adds v to dy[i] when the state exists (optional couplings and accumulators).
inline void add_if(double* dy, int i, double v) {
  if (i >= 0) dy[i] += v;
}

// The built model: immutable, shared by all threads.
class Model {
 public:
  // Links every module (Module::link), then takes them from the builder.
  explicit Model(ModelBuilder&& b);

  int size() const { return static_cast<int>(state_names_.size()); }
  int quantity_count() const { return static_cast<int>(quantity_names_.size()); }
  // Individual plus derived parameters: the size of the vector the modules read.
  int param_count() const { return param_count_; }
  const std::vector<std::string>& state_names() const { return state_names_; }
  int state(const std::string& name) const;  // -1 if absent
  int quantity(const std::string& name) const;  // -1 if absent
  int output(const std::string& column) const;  // -1 if absent
  int find_param(const std::string& name) const;  // -1 if absent
  // What each state carries, and whether it only accumulates what left the system.
  const std::vector<Carries>& carries() const { return carries_; }
  int accumulator_count() const { return accumulator_count_; }
  std::vector<std::string> module_names() const;
  // Where a dose of `of` goes ("": the agent); std::logic_error naming it when the
  // model doses no such thing (the scenario reader refuses it first).
  const std::vector<std::pair<int, double>>& dose_targets(const std::string& of = "") const;
  // A function a module provides (e.g. "terminal_half_life_day"), or nullptr.
  const ParamFunction* function(const std::string& name) const;
  // The largest of the modules' fastest rates (1/day); p as for prepare().
  double fastest_rate(const double* p) const;

  // p holds the individual parameters and room for the derived ones (param_count()).
  void prepare(double* p) const;
  void initialise(const double* p, double* y) const;
  void derive(EvalContext& c) const;
  void rhs(EvalContext& c, double* dy) const;

  const std::vector<OutputDef>& outputs() const { return outputs_; }

 private:
  static std::vector<std::unique_ptr<Module>> link_all(ModelBuilder& b);
  std::vector<std::unique_ptr<Module>> modules_;
  std::vector<std::string> state_names_, quantity_names_;
  std::vector<Carries> carries_;
  int accumulator_count_ = 0;
  std::unordered_map<std::string, int> state_index_, quantity_index_, param_index_;
  std::vector<OutputDef> outputs_;
  std::unordered_map<std::string, std::vector<std::pair<int, double>>> dose_targets_;
  std::unordered_map<std::string, ParamFunction> functions_;
  int param_count_ = 0;
};

}  // namespace icsim
