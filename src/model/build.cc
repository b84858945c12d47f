#include "model/build.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "model/registry.h"
#include "pk/disposition/disposition.h"

namespace icsim {

std::vector<const Mechanism*> build_order(const AgentSpec& agent) {
  std::vector<const Mechanism*> on;
  for (const Mechanism* m : mechanisms())
    if (agent.has_mechanism(m->section())) on.push_back(m);
  // Rank of each use of a quantity: created (0), added to (1), read (2).
  std::map<std::string, std::vector<std::pair<size_t, int>>> uses;
  for (size_t i = 0; i < on.size(); ++i) {
    const Dependencies d = on[i]->dependencies();
    for (const auto& q : d.creates) uses[q].emplace_back(i, 0);
    for (const auto& q : d.adds_to) uses[q].emplace_back(i, 1);
    for (const auto& q : d.reads) uses[q].emplace_back(i, 2);
  }
  std::vector<std::set<size_t>> after(on.size());  // after[i]: what must come before i
  for (const auto& [q, list] : uses)
    for (const auto& [i, ri] : list)
      for (const auto& [j, rj] : list)
        if (rj < ri) after[i].insert(j);
  std::vector<const Mechanism*> order;
  std::vector<bool> done(on.size(), false);
  while (order.size() < on.size()) {
    size_t next = on.size();
    for (size_t i = 0; i < on.size() && next == on.size(); ++i)
      if (!done[i] && std::all_of(after[i].begin(), after[i].end(), [&](size_t j) { return done[j]; })) next = i;
    if (next == on.size()) throw std::logic_error("the mechanisms' declared dependencies form a cycle");
    done[next] = true;
    order.push_back(on[next]);
  }
  return order;
}

BuiltModel build_model(const AgentSpec& a, const IndividualModel& individual, bool track_mass_balance) {
  BuiltModel out;
  out.layout.molecular_weight = a.molecular_weight;
  BuildPlan plan{a, individual, out.layout};
  const std::vector<const Mechanism*> order = build_order(a);
  for (const Mechanism* m : order) m->plan(plan, *a.options<MechanismOptions>(m->section()));

  ModelBuilder b;
  // A label follows its atoms off the antibody (where the antibody was catabolised),
  // which the accumulators of what left the conjugate record.
  b.track_mass_balance = track_mass_balance || a.has_mechanism("label");
  b.set_param_index(individual.index());
  for (const Mechanism* m : order) {
    b.begin_module(m->section());
    m->build(b, plan, *a.options<MechanismOptions>(m->section()));
  }
  out.first_dose_param = b.find_param(kFirstDoseParam);
  out.individual_params = individual.size();
  out.model = std::make_unique<Model>(std::move(b));
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
  const ParamFunction* f = m.model->function("terminal_half_life_day");
  return f ? (*f)(p, t) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace icsim
