#include "model/build.h"

#include <cmath>
#include <limits>

namespace icsim {

namespace {

ConjugateLayout make_layout(const AgentSpec& a, bool deconjugating) {
  ConjugateLayout l;
  l.molecular_weight = a.molecular_weight;
  if (!a.dar) {
    l.dar = {0};
  } else if (deconjugating) {
    const int max_dar = a.dar_initial.rbegin()->first;
    for (int n = 0; n <= max_dar; ++n) l.dar.push_back(n);
  } else {
    for (const auto& [n, fraction] : a.dar_initial) l.dar.push_back(n);
  }
  return l;
}

}  // namespace

BuiltModel build_model(const AgentSpec& a, const IndividualModel& individual, bool track_mass_balance) {
  // Deconjugation needs a species per DAR value only when it can happen.
  bool deconjugating = false;
  if (a.dar && a.has("dar.deconjugation")) {
    deconjugating = a.value("dar.deconjugation") > 0.0;
    for (const auto& name : individual.random_effect_names())
      if (name == "dar.deconjugation") deconjugating = true;
  }
  BuiltModel out;
  out.layout = make_layout(a, deconjugating);
  ModelBuilder b;
  b.track_mass_balance = track_mass_balance;
  b.set_param_index(individual.index());

  std::vector<std::unique_ptr<Module>> modules;
  modules.push_back(make_disposition(b, out.layout, a.compartments, a.time_varying_clearance));
  const double mw = a.molecular_weight;
  const int total_q = b.quantity(names::kPlasmaTotal);
  // The analyte of population PK models: conjugate in plasma, free and bound.
  b.add_output({"plasma_total_ug_per_mL", [total_q, mw](const EvalContext& c) { return c.q[total_q] * mw * 1e-6; }});
  if (a.tmdd == TmddMode::kFull) modules.push_back(make_tmdd_full(b, out.layout, a.target_given_as_synthesis));
  if (a.tmdd == TmddMode::kQss) modules.push_back(make_tmdd_qss(b, out.layout, a.target_given_as_synthesis));
  if (a.soluble_antigen) {
    modules.push_back(make_soluble_antigen(b, out.layout, a.soluble_antigen_molecular_weight));
  }
  if (a.tmdd != TmddMode::kNone || a.soluble_antigen) {
    const int ff = b.quantity(names::kFreeFraction);
    const int v1 = b.param("disposition.V1");
    const std::vector<int> central = central_states(b, out.layout);
    b.add_output({"plasma_free_ug_per_mL", [central, ff, v1, mw](const EvalContext& c) {
                    double sum = 0.0;
                    for (int i : central) sum += c.y[i];
                    return sum / c.p[v1] * c.q[ff] * mw * 1e-6;
                  }});
  }
  if (deconjugating) modules.push_back(make_deconjugation(b, out.layout));
  if (a.payload) modules.push_back(make_payload(b, a.payload_compartments, a.payload_molecular_weight));
  modules.push_back(make_exposure_integral(b));
  for (auto& m : modules) m->link(b);

  for (int s = 0; s < out.layout.species(); ++s) {
    if (a.dar && !a.dar_initial.count(out.layout.dar[s])) continue;
    const double fraction = a.dar ? a.dar_initial.at(out.layout.dar[s]) : 1.0;
    out.dose_targets.emplace_back(b.state(names::central(s)), fraction);
  }
  out.auc_state = b.state("exposure.auc");
  out.first_dose_param = b.param(kFirstDoseParam);
  out.individual_params = individual.size();
  out.linear = a.tmdd == TmddMode::kNone && !a.soluble_antigen;
  out.plain_linear = out.linear && out.layout.species() == 1 && !deconjugating && !a.payload && !track_mass_balance;
  out.cl = b.param("disposition.CL");
  out.v1 = b.param("disposition.V1");
  out.q = a.compartments == 2 ? b.param("disposition.Q") : -1;
  out.v2 = a.compartments == 2 ? b.param("disposition.V2") : -1;
  out.clearance_course = ClearanceCourse::find(b);
  out.model = std::make_unique<Model>(std::move(modules), std::move(b));
  return out;
}

std::vector<double> prepare_params(const BuiltModel& m, const double* p, double first_dose_day) {
  std::vector<double> out(p, p + m.individual_params);
  out.resize(m.model->param_count());
  if (m.first_dose_param >= 0) out[m.first_dose_param] = first_dose_day;
  m.model->prepare(out.data());
  return out;
}

double terminal_half_life(const BuiltModel& m, const double* p, double t) {
  if (!m.linear) return std::numeric_limits<double>::quiet_NaN();
  const double k10 = m.clearance_course(p, t) / p[m.v1];
  if (m.q < 0) return std::log(2.0) / k10;
  const double k12 = p[m.q] / p[m.v1], k21 = p[m.q] / p[m.v2];
  const double s = k10 + k12 + k21;
  // Smallest root of lambda^2 - s*lambda + k10*k21 = 0, without cancellation.
  const double beta = 2.0 * k10 * k21 / (s + std::sqrt(s * s - 4.0 * k10 * k21));
  return std::log(2.0) / beta;
}

}  // namespace icsim
