#include "pk/disposition/disposition.h"

#include <cmath>
#include <limits>
#include <string>

#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "pk/conjugate.h"

namespace icsim {

bool DispositionOptions::is_valid(std::string* why) const {
  if (compartments != 1 && compartments != 2) {
    if (why) *why = "compartments must be 1 or 2";
    return false;
  }
  return true;
}

namespace {

class Disposition final : public Module {
 public:
  Disposition(ModelBuilder& b, const ConjugateLayout& layout, int compartments, bool tvc)
      : dar_(layout.dar), two_(compartments == 2), tvc_(tvc) {
    const int n = layout.species();
    std::vector<int> central_pool, peripheral_pool;
    for (int s = 0; s < n; ++s) central_pool.push_back(b.add_state(names::central(s), conjugate_carries(layout, s)));
    if (two_)
      for (int s = 0; s < n; ++s)
        peripheral_pool.push_back(b.add_state(names::peripheral(s), conjugate_carries(layout, s)));
    central_ = central_pool;
    peripheral_ = peripheral_pool;
    b.add_conjugate_pool(central_pool);
    if (two_) b.add_conjugate_pool(peripheral_pool);
    cl_ = b.param("disposition.CL");
    v1_ = b.param("disposition.V1");
    q_ = b.find_param("disposition.Q");
    v2_ = b.find_param("disposition.V2");
    t50_ = b.find_param("disposition.clearance_change.T50");
    if (tvc_) {
      b.add_derived_param("disposition.clearance_change.T50^gamma");
      b.add_derived_param(kFirstDoseParam);
    }
    course_ = ClearanceCourse::find(b);
    ff_ = b.add_quantity(names::kFreeFraction);
    total_ = b.add_quantity(names::kPlasmaTotal);
    eliminated_ = b.accumulator("conjugate.eliminated", {1.0, 0.0, 0.0});
    payload_lost_ = b.accumulator("payload.lost", {0.0, 1.0, 0.0});
    for (int s = 0; s < n; ++s)
      if (layout.dose_fraction[s] > 0.0) b.add_dose_target(central_[s], layout.dose_fraction[s]);
  }

  // Called after all modules exist, so the payload state can be found.
  void link(ModelBuilder& b) override {
    payload_ = b.find_state(names::kPayloadCentral);
    release_ = b.find_param("payload.release_on_catabolism");
    if (!b.binds_conjugate()) {
      // Terminal half-life from the smallest eigenvalue of the linear system with CL(t).
      const ClearanceCourse course = course_;
      const int v1 = v1_, q = two_ ? q_ : -1, v2 = v2_;
      b.provide("terminal_half_life_day", [course, v1, q, v2](const double* p, double t) {
        const double k10 = course(p, t) / p[v1];
        if (q < 0) return std::log(2.0) / k10;
        const double k12 = p[q] / p[v1], k21 = p[q] / p[v2];
        const double s = k10 + k12 + k21;
        // Smallest root of lambda^2 - s*lambda + k10*k21 = 0, without cancellation.
        const double beta = 2.0 * k10 * k21 / (s + std::sqrt(s * s - 4.0 * k10 * k21));
        return std::log(2.0) / beta;
      });
    }
  }

  const char* name() const override { return "disposition"; }

  void prepare(double* p) const override {
    if (tvc_) p[course_.t50_pow] = std::pow(p[t50_], p[course_.gamma]);
  }

  void derive(EvalContext& c) const override {
    c.q[ff_] = 1.0;
    double sum = 0.0;
    for (int i : central_) sum += c.y[i];
    c.q[total_] = sum / c.p[v1_];
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double v1 = c.p[v1_], cl = course_(c.p, c.t), ff = c.q[ff_];
    const double release = release_ >= 0 ? c.p[release_] : 0.0;
    const int n = static_cast<int>(central_.size());
    double payload_released = 0.0;
    for (int s = 0; s < n; ++s) {
      const double free_conc = c.y[central_[s]] / v1 * ff;
      const double elim = cl * free_conc;  // linear clearance acts on free conjugate
      dy[central_[s]] -= elim;
      add_if(dy, eliminated_, elim);
      payload_released += dar_[s] * elim;
      if (two_) {
        const double v2 = c.p[v2_], q = c.p[q_];
        const double flow = q * free_conc - q * c.y[peripheral_[s]] / v2;
        dy[central_[s]] -= flow;
        dy[peripheral_[s]] += flow;
      }
    }
    if (payload_ >= 0) {
      dy[payload_] += release * payload_released;
      add_if(dy, payload_lost_, (1.0 - release) * payload_released);
    } else {
      add_if(dy, payload_lost_, payload_released);
    }
  }

 private:
  std::vector<int> dar_, central_, peripheral_;
  bool two_, tvc_;
  ClearanceCourse course_;
  int cl_, v1_, q_, v2_, t50_, ff_, total_;
  int eliminated_, payload_lost_, payload_ = -1, release_ = -1;
};

class DispositionMechanism final : public Mechanism {
 public:
  const char* section() const override { return "disposition"; }
  const char* summary() const override {
    return "linear 1- or 2-compartment disposition of the conjugate, optionally with time-varying clearance";
  }
  bool always_on() const override { return true; }
  std::vector<ParamDecl> parameters() const override {
    return {{"CL", "L/day", Bound::kPositive, "linear clearance at t = 0"},
            {"V1", "L", Bound::kPositive, "central volume"},
            {"Q", "L/day", Bound::kNonNegative, "inter-compartmental clearance"},
            {"V2", "L", Bound::kPositive, "peripheral volume"},
            {"clearance_change.Imax", "1", Bound::kAny, "log-fold change of CL as t -> infinity"},
            {"clearance_change.T50", "day", Bound::kPositive, "time of half the change"},
            {"clearance_change.gamma", "1", Bound::kPositive, "Hill exponent of the change"}};
  }
  std::vector<std::string> option_keys() const override { return {"compartments", "clearance_change"}; }
  std::unique_ptr<MechanismOptions> default_options() const override {
    return std::make_unique<DispositionOptions>();
  }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec& a) const override {
    auto& o = static_cast<DispositionOptions&>(mo);
    if (const YAML::Node c = in.node["compartments"]) o.compartments = read_compartments(in, c);
    if (const YAML::Node c = in.node["clearance_change"]) {
      o.time_varying_clearance = true;
      a.feature_origin["clearance_change"] = in.doc.origin(c, in.key + ".clearance_change");
    }
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    // clearance_change is written with its parameters.
    return {{"compartments", std::to_string(static_cast<const DispositionOptions&>(mo).compartments)}};
  }
  std::vector<std::string> required(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DispositionOptions&>(mo);
    std::vector<std::string> r = {"CL", "V1"};
    if (o.compartments == 2) r.insert(r.end(), {"Q", "V2"});
    if (o.time_varying_clearance)
      r.insert(r.end(), {"clearance_change.Imax", "clearance_change.T50", "clearance_change.gamma"});
    return r;
  }
  bool uses(const std::string& name, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DispositionOptions&>(mo);
    if (name.rfind("clearance_change.", 0) == 0) return o.time_varying_clearance;
    if (name == "Q" || name == "V2") return o.compartments == 2;
    return true;
  }
  Dependencies dependencies() const override {
    return {{names::kCentral, names::kPools, names::kPlasmaTotal, names::kFreeFraction}, {}, {}};
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DispositionOptions&>(mo);
    b.add_module(std::make_unique<Disposition>(b, plan.layout, o.compartments, o.time_varying_clearance));
    const int total = b.quantity(names::kPlasmaTotal);
    const double mw = plan.layout.molecular_weight;
    // The analyte of population PK models: conjugate in plasma, free and bound.
    b.add_output({names::kAnalyte, [total, mw](const EvalContext& c) { return c.q[total] * mw * 1e-6; },
                  OutputGroup::kAnalyte});
  }
  const char* example() const override {
    return "{compartments: 2, CL: 0.5 L/day, V1: 3 L, Q: 0.6 L/day, V2: 2.5 L,"
           " clearance_change: {Imax: -0.3, T50: 20 d, gamma: 2}}";
  }
};

}  // namespace

const Mechanism& disposition_mechanism() {
  static const DispositionMechanism m;
  return m;
}

}  // namespace icsim
