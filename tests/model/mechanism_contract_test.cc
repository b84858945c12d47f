// Mechanism contract suite: one set of test bodies run over every mechanism the
// registry lists (icsim::mechanisms()), as OpenMM runs one test body on every
// platform. A mechanism added to src/model/registry.cc is tested here without a line
// of new test code; its example(), needs_sections() and switched_off() (see
// src/model/mechanism.h) are what the suite composes agents from.
//
// For each mechanism M the agent is: disposition's example (always), the example of
// every section M needs, and M's own example (written at the scenario's top level
// instead when M is read from scenarios, as the disease is). The agent file holds the identity and
// molecular weight (150 kDa); the sections are written plainly, as overrides in the
// scenario's `agent: {file: ..., <sections>}` mapping, because an agent file named by
// `file:` is read with the library's rules (every value {value, source}) while a
// scenario's overrides take plain values (docs/scenarios.md, "agent").
//
// Reference: the contracts themselves, each a property any mechanism must have.
//  1. SteadyStateWithoutDrug: the drug-free initial state is a steady state:
//     |dy_i| <= 1e-9 * (1 + |y_i|) for every state (round-off of a few terms of
//     order y_i * rate; the rates here are <= ~1e2 /day, so 1e-9 leaves 1e4-fold
//     room over double round-off and still catches any real imbalance, which is of
//     order rate * y_i).
//  2. RightHandSideFiniteAtZero: the right-hand side is finite at the all-zero
//     state and at the initial state (no division by an amount that can be zero).
//  3. ConservationOfCarriedQuantities: with accumulator states, the antibody the
//     states carry (Model::carries) sums to the dose to 1e-8 relative, and the
//     payload to dose * mean DAR of the dose to 1e-8 relative (1e-12 nmol absolute
//     when the agent has no DAR, so no payload). Solved with BDF at rtol 1e-10,
//     atol 1e-14 nmol: every flux leaves one state and enters another, so only
//     round-off and the Newton iteration break the balance.
//  4. SwitchedOffEqualsWithout: M with its switched_off() values gives the same
//     plasma_total_ug_per_mL as the agent without M's section, to 1e-6 relative at
//     every output time (BDF, rtol 1e-10, atol 1e-12 nmol). The two models have
//     different state vectors, so different error norms and step sequences: the
//     solutions agree to the tolerance, not bitwise.
//  5. ExplicitAndBdfAgree: Dormand-Prince and BDF (rtol 1e-8, atol 1e-10 nmol)
//     agree on every output column at every output time to 1e-5 relative plus
//     1e-9 absolute (for values near zero): both are within a few hundred times
//     rtol of the exact solution.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "io/agent_reader.h"
#include "model/build.h"
#include "model/mechanism.h"
#include "model/registry.h"
#include "pk/dar/dar.h"
#include "pk/disposition/disposition.h"
#include "population/covariates.h"
#include "population/individual.h"
#include "support.h"
#include "trial/observers/observers.h"
#include "trial/simulate_patient.h"

namespace icsim {

// Test names and failure messages show the mechanism's section, not an address.
void PrintTo(const Mechanism* m, std::ostream* os) { *os << (m ? m->section() : "(null)"); }

namespace {

constexpr double kWeightKg = 70.0;
constexpr double kDoseMgPerKg = 3.0;
constexpr double kMolecularWeight = 150000.0;  // g/mol, the header's 150 kDa

// Which form of M's own section an agent has.
enum class Variant { kOn, kSwitchedOff, kWithout };

const char* variant_name(Variant v) {
  switch (v) {
    case Variant::kOn: return "on";
    case Variant::kSwitchedOff: return "off";
    case Variant::kWithout: return "without";
  }
  return "";
}

YAML::Node load_example(const std::string& section) {
  const Mechanism* m = find_mechanism(section);
  if (!m) throw std::logic_error("no mechanism has section '" + section + "'");
  return YAML::Load(m->example());
}

// The example with the switched-off keys written over it.
YAML::Node switched_off_section(const Mechanism& m) {
  YAML::Node section = YAML::Load(m.example());
  const YAML::Node off = YAML::Load(m.switched_off());
  for (const auto& kv : off) section[kv.first.as<std::string>()] = kv.second;
  return section;
}

// The sections of M's agent: disposition, what M needs, then M itself.
YAML::Node sections(const Mechanism& m, Variant v) {
  YAML::Node out(YAML::NodeType::Map);
  const std::string own = m.section();
  out["disposition"] = load_example("disposition");
  for (const std::string& s : m.needs_sections()) out[s] = load_example(s);
  if (m.has_section() && own != "disposition" && !m.in_scenario()) {
    if (v == Variant::kOn) out[own] = load_example(own);
    else if (v == Variant::kSwitchedOff) out[own] = switched_off_section(m);
  }
  return out;
}

// Writes M's agent file and returns the scenario's `agent:` mapping, in flow style.
std::string agent_node(const Mechanism& m, Variant v) {
  const std::string tag = std::string(m.section()) + "-" + variant_name(v);
  const auto dir = test::temp_dir("contract-agent-" + tag);
  const std::string header = "id: contract-" + tag + "\nname: Contract agent for " + m.section() +
                             "\nclass: antibody-drug conjugate\n"
                             "molecular_weight: {value: 150 kDa, source: contract suite}\n";
  YAML::Node agent = sections(m, v);
  agent["file"] = test::write_file(dir / "agent.yaml", header);
  YAML::Emitter e;
  e << YAML::Flow << agent;
  return e.c_str();
}

Scenario scenario(const Mechanism& m, Variant v, const std::vector<std::string>& sets = {},
                  const std::string& tag = "") {
  const std::string name = std::string("contract-") + m.section() + "-" + variant_name(v) + tag;
  // A mechanism read from the scenario (the disease) is written at its top level.
  std::string own;
  if (m.in_scenario() && v != Variant::kWithout) {
    YAML::Emitter e;
    e << YAML::Flow << (v == Variant::kOn ? load_example(m.section()) : switched_off_section(m));
    own = std::string("\n") + m.section() + ": " + e.c_str();
  }
  const std::string text = "name: " + name + "\nagent: " + agent_node(m, v) + own +
                           "\npatient: {weight: 70 kg}\n"
                           "regimen: {dose: 3 mg/kg, infusion: 1 h, every: 7 d, doses: 2}\n"
                           "simulation: {until: 21 d, output_every: 1 d}\n";
  return test::scenario_from_text(name, text, sets);
}

// Individual parameters of the typical patient, as IndividualModel gives them.
std::vector<double> typical_params(const Scenario& s, const IndividualModel& individual) {
  return individual.typical(complete_covariates(s.patient, s.agent.covariate_reference, s.bsa_formula));
}

// Model::rhs with no infusion running; returns dy.
std::vector<double> rhs(const Model& model, const std::vector<double>& p, const std::vector<double>& y) {
  std::vector<double> q(std::max(1, model.quantity_count())), in(model.size(), 0.0), dy(model.size());
  EvalContext c;
  c.t = 0.0;
  c.y = y.data();
  c.p = p.data();
  c.in = in.data();
  c.q = q.data();
  model.rhs(c, dy.data());
  return dy;
}

// Payloads (or label atoms) per antibody of a dose, from the species the build
// planned: a DAR distribution, or a label's labelled fraction.
double mean_dar(const ConjugateLayout& layout) {
  double n = 0.0;
  for (int s = 0; s < layout.species(); ++s) n += layout.dar[s] * layout.dose_fraction[s];
  return n;
}

class MechanismContract : public ::testing::TestWithParam<const Mechanism*> {
 protected:
  const Mechanism& mech() const { return *GetParam(); }
};

TEST_P(MechanismContract, SteadyStateWithoutDrug) {
  const Scenario s = scenario(mech(), Variant::kOn);
  const IndividualModel individual(s.agent);
  const BuiltModel m = build_model(s.agent, individual, false);
  const std::vector<double> typical = typical_params(s, individual);
  const std::vector<double> p = prepare_params(m, typical.data(), 0.0);
  std::vector<double> y(m.model->size());
  m.model->initialise(p.data(), y.data());
  const std::vector<double> dy = rhs(*m.model, p, y);
  // |dy_i| <= 1e-9 * (1 + |y_i|): a drug-free balance such as ksyn*V1 - kdeg*R0*V1
  // cancels to round-off (~1e-16 * rate * y_i, rates here <= ~1e2 /day), while a
  // wrong initial state leaves a residual of order rate * y_i. The 1 keeps the bound
  // meaningful for states that start at zero (conjugate, accumulators, AUC).
  double worst = 0.0;
  for (int i = 0; i < m.model->size(); ++i) {
    const double scale = 1.0 + std::abs(y[i]);
    worst = std::max(worst, std::abs(dy[i]) / scale);
    EXPECT_LE(std::abs(dy[i]), 1e-9 * scale) << m.model->state_names()[i] << ": y = " << y[i] << ", dy = " << dy[i];
  }
  std::printf("[measured] %s: %d states, max |dy|/(1+|y|) at the drug-free state %.2e\n", mech().section(),
              m.model->size(), worst);
}

TEST_P(MechanismContract, RightHandSideFiniteAtZero) {
  const Scenario s = scenario(mech(), Variant::kOn);
  const IndividualModel individual(s.agent);
  const BuiltModel m = build_model(s.agent, individual, false);
  const std::vector<double> typical = typical_params(s, individual);
  const std::vector<double> p = prepare_params(m, typical.data(), 0.0);
  std::vector<double> initial(m.model->size());
  m.model->initialise(p.data(), initial.data());
  const std::vector<std::pair<const char*, std::vector<double>>> states = {
      {"all-zero", std::vector<double>(m.model->size(), 0.0)}, {"initial", initial}};
  int finite = 0;
  for (const auto& [which, y] : states) {
    const std::vector<double> dy = rhs(*m.model, p, y);
    for (int i = 0; i < m.model->size(); ++i) {
      EXPECT_TRUE(std::isfinite(dy[i])) << m.model->state_names()[i] << " at the " << which << " state: dy = " << dy[i];
      finite += std::isfinite(dy[i]) ? 1 : 0;
    }
  }
  std::printf("[measured] %s: %d of %d derivatives finite (all-zero and initial state)\n", mech().section(), finite,
              2 * m.model->size());
}

TEST_P(MechanismContract, ConservationOfCarriedQuantities) {
  const Scenario s = scenario(mech(), Variant::kOn);
  const AgentSpec& a = s.agent;
  const IndividualModel individual(a);
  const BuiltModel m = build_model(a, individual, true);
  const Covariates cov = complete_covariates(s.patient, a.covariate_reference, s.bsa_formula);
  const std::vector<double> p = individual.typical(cov);
  SolverOptions o;
  o.kind = SolverKind::kCvode;
  o.rtol = 1e-10;
  o.atol = 1e-14;
  PatientSimulator sim(m, o, standard_observers(*m.model, a.molecular_weight, {0.0, 7.0, 21.0}));
  // 3 mg/kg as a bolus at day 0, and again as a one-day infusion at day 7.
  Regimen regimen;
  for (const auto& [t, infusion] : {std::pair{0.0, 0.0}, std::pair{7.0, 1.0}}) {
    Phase ph;
    ph.dose.value = kDoseMgPerKg;
    ph.dose.basis = DoseBasis::kPerWeight;
    ph.infusion_day = infusion;
    ph.times_day = {t};
    regimen.phases.push_back(ph);
  }
  Schedule schedule(DoseFeed(regimen, cov, a.molecular_weight), 21.0);
  RandomStream rng(1, 0);
  PatientRecord r;
  sim.run(p.data(), schedule, Protocol{}, 21.0, rng, r);
  const std::vector<double> y = sim.final_state();
  double antibody = 0.0, payload = 0.0;
  for (size_t i = 0; i < y.size(); ++i) {
    antibody += m.model->carries()[i].antibody * y[i];
    payload += m.model->carries()[i].payload * y[i];
  }
  ASSERT_DOUBLE_EQ(a.molecular_weight, kMolecularWeight);
  const double dose = 2.0 * kDoseMgPerKg * kWeightKg * 1e6 / a.molecular_weight;  // nmol
  const double dar = mean_dar(m.layout);
  std::printf("[measured] %s: dose %.6g nmol, antibody %.10g nmol (relative error %.2e), mean DAR %.3g, payload "
              "%.10g nmol (expected %.10g, error %.2e %s), %d accumulators\n",
              mech().section(), dose, antibody, std::abs(antibody / dose - 1), dar, payload, dose * dar,
              dar > 0 ? std::abs(payload / (dose * dar) - 1) : std::abs(payload), dar > 0 ? "relative" : "nmol",
              m.model->accumulator_count());
  EXPECT_NEAR(antibody, dose, 1e-8 * dose);
  if (dar > 0) EXPECT_NEAR(payload, dose * dar, 1e-8 * dose * dar);
  else EXPECT_NEAR(payload, 0.0, 1e-12);
  // Something must have left the body for the balance to mean anything.
  const int eliminated = m.model->state("conjugate.eliminated");
  ASSERT_GE(eliminated, 0);
  EXPECT_GT(y[eliminated], 0.01 * dose);
}

TEST_P(MechanismContract, SwitchedOffEqualsWithout) {
  if (!*mech().switched_off()) {
    if (!mech().has_section()) GTEST_SKIP() << mech().section() << " has no section: it cannot be removed or switched off";
    if (mech().always_on()) GTEST_SKIP() << mech().section() << " is always on: it cannot be removed, so has no off switch";
    GTEST_SKIP() << mech().section() << " has no off switch (switched_off() is empty)";
  }
  const std::vector<std::string> sets = {"simulation.solver=cvode", "simulation.rtol=1e-10",
                                         "simulation.atol=1e-12 nmol"};
  const auto off = test::run(scenario(mech(), Variant::kSwitchedOff, sets));
  const auto without = test::run(scenario(mech(), Variant::kWithout, sets));
  ASSERT_EQ(off.patients.size(), 1u);
  ASSERT_EQ(without.patients.size(), 1u);
  ASSERT_TRUE(off.patients[0].ok) << off.patients[0].error;
  ASSERT_TRUE(without.patients[0].ok) << without.patients[0].error;
  ASSERT_EQ(off.info.times, without.info.times);
  const std::string column = "plasma_total_ug_per_mL";
  ASSERT_GE(off.column(column), 0);
  ASSERT_GE(without.column(column), 0);
  double worst = 0.0;
  for (size_t row = 0; row < off.info.times.size(); ++row) {
    const double a = off.at(0, row, column), b = without.at(0, row, column);
    const double scale = std::max(std::abs(a), std::abs(b));
    if (scale > 0) worst = std::max(worst, std::abs(a - b) / scale);
    EXPECT_LE(std::abs(a - b), 1e-6 * scale) << column << " at day " << off.info.times[row] << ": switched off " << a
                                            << ", without " << b;
  }
  std::printf("[measured] %s: switched off (%s) vs without, %zu times: max relative difference of %s %.2e\n",
              mech().section(), mech().switched_off(), off.info.times.size(), column.c_str(), worst);
}

TEST_P(MechanismContract, ExplicitAndBdfAgree) {
  auto solve = [&](const char* solver) {
    return test::run(scenario(mech(), Variant::kOn,
                              {std::string("simulation.solver=") + solver, "simulation.rtol=1e-8",
                               "simulation.atol=1e-10 nmol"},
                              std::string("-") + solver));
  };
  const auto dopri = solve("explicit");
  const auto bdf = solve("cvode");
  ASSERT_EQ(dopri.patients.size(), 1u);
  ASSERT_EQ(bdf.patients.size(), 1u);
  ASSERT_TRUE(dopri.patients[0].ok) << dopri.patients[0].error;
  ASSERT_TRUE(bdf.patients[0].ok) << bdf.patients[0].error;
  ASSERT_EQ(dopri.info.columns, bdf.info.columns);
  ASSERT_EQ(dopri.info.times, bdf.info.times);
  double worst = 0.0;
  std::string worst_column;
  for (const std::string& column : dopri.info.columns) {
    for (size_t row = 0; row < dopri.info.times.size(); ++row) {
      const double a = dopri.at(0, row, column), b = bdf.at(0, row, column);
      const double scale = std::max(std::abs(a), std::abs(b));
      const double rel = std::abs(a - b) / std::max(scale, 1e-300);
      if (scale > 1e-6 && rel > worst) {
        worst = rel;
        worst_column = column;
      }
      EXPECT_LE(std::abs(a - b), 1e-5 * scale + 1e-9)
          << column << " at day " << dopri.info.times[row] << ": explicit " << a << ", BDF " << b;
    }
  }
  std::printf("[measured] %s: %s (%ld rhs evaluations) vs %s (%ld), %zu columns x %zu times: max relative "
              "difference %.2e (%s)\n",
              mech().section(), dopri.patients[0].solver, dopri.patients[0].rhs_evaluations, bdf.patients[0].solver,
              bdf.patients[0].rhs_evaluations, dopri.info.columns.size(), dopri.info.times.size(), worst,
              worst_column.c_str());
}

INSTANTIATE_TEST_SUITE_P(Contract, MechanismContract, ::testing::ValuesIn(mechanisms()),
                         [](const ::testing::TestParamInfo<const Mechanism*>& info) {
                           return std::string(info.param->section());
                         });

// The suite covers a mechanism only through what it declares: an example for every
// section, and a unit and documentation for every parameter.
TEST(MechanismRegistry, EveryMechanismIsInTheContractSuite) {
  for (const Mechanism* m : mechanisms()) {
    SCOPED_TRACE(m->section());
    EXPECT_TRUE(*m->example() || !m->has_section()) << m->section() << " has a section but no example()";
    for (const ParamDecl& d : m->parameters()) {
      EXPECT_TRUE(d.engine_unit && *d.engine_unit) << m->section() << "." << d.name << " has no engine unit";
      EXPECT_TRUE(d.doc && *d.doc) << m->section() << "." << d.name << " has no doc";
    }
  }
}

}  // namespace
}  // namespace icsim
