// Conservation of antibody and payload with every mechanism on (full TMDD, soluble
// antigen, DAR species with deconjugation, released payload) and for QSS TMDD.
// Reference: dose given = amount in the body + amount eliminated, tracked by
// accumulator states. Tolerance: 1e-8 of the dose; every flux leaves one state and
// enters another, so only round-off and the Newton iteration break the balance.
#include <gtest/gtest.h>

#include <cstdio>

#include <cmath>
#include <string>

#include "io/agent_reader.h"
#include "model/build.h"
#include "population/covariates.h"
#include "support.h"
#include "pk/target/target.h"
#include "trial/observers/observers.h"
#include "trial/simulate_patient.h"

namespace icsim {
namespace {

struct Balance {
  double antibody = 0, payload = 0;
};

// What every state carries (Model::carries), summed: generic over the mechanisms.
Balance balance(const Model& m, const std::vector<double>& y) {
  Balance b;
  for (size_t i = 0; i < y.size(); ++i) {
    b.antibody += m.carries()[i].antibody * y[i];
    b.payload += m.carries()[i].payload * y[i];
  }
  return b;
}

Phase dose_at(double t, double infusion_day) {
  Phase ph;
  ph.dose.value = 100.0;  // mg
  ph.dose.basis = DoseBasis::kMass;
  ph.infusion_day = infusion_day;
  ph.times_day = {t};
  return ph;
}

void check(AgentSpec a, SolverKind kind, double mean_dar) {
  finalise_agent(a);
  const IndividualModel individual(a);
  const BuiltModel m = build_model(a, individual, true);
  const auto p = individual.typical(complete_covariates({}, a.covariate_reference, BsaFormula::kDuBois));
  SolverOptions o;
  o.kind = kind;
  o.rtol = 1e-10;
  o.atol = 1e-14;
  PatientSimulator sim(m, o, standard_observers(*m.model, a.molecular_weight, {0.0, 10.0, 30.0}));
  const double nmol_per_mg = 1e6 / a.molecular_weight;
  // A 100 mg bolus at day 0 and a 100 mg one-day infusion at day 7.
  Regimen regimen;
  regimen.phases = {dose_at(0.0, 0.0), dose_at(7.0, 1.0)};
  Schedule schedule(DoseFeed(regimen, {}, a.molecular_weight), 30.0);
  RandomStream rng(1, 0);
  PatientRecord r;
  sim.run(p.data(), schedule, Protocol{}, 30.0, rng, r);
  const Balance b = balance(*m.model, sim.final_state());
  const double dose = 200.0 * nmol_per_mg;
  std::printf("[measured] %s: antibody balance error %.2e, payload %.2e (relative)\n", kind == SolverKind::kCvode ? "cvode" : "explicit",
              std::abs(b.antibody / dose - 1), std::abs(b.payload / (dose * mean_dar) - 1));
  EXPECT_NEAR(b.antibody, dose, 1e-8 * dose);
  EXPECT_NEAR(b.payload, dose * mean_dar, 1e-8 * dose * mean_dar);
  // Something must have happened to every route for the check to mean anything.
  const auto& names = m.model->state_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == "conjugate.eliminated" || names[i] == "target.internalised") EXPECT_GT(sim.final_state()[i], 0.01);
}

TEST(MassBalance, FullTmddSolubleAntigenDarAndPayload) {
  const AgentSpec a = read_agent_file(test::test_data("agents/adc-full.yaml"));
  check(a, SolverKind::kCvode, 0.2 * 2 + 0.5 * 4 + 0.3 * 6);
}

TEST(MassBalance, QssTmddWithDar) {
  AgentSpec a = read_agent_file(test::test_data("agents/adc-full.yaml"));
  a.mutable_options<TargetOptions>("target")->model = TmddMode::kQss;
  a.mechanisms.erase("soluble_antigen");
  ParamSpec kss;
  kss.name = "target.Kss";
  kss.written = parse_quantity("1 nM");
  a.params[kss.name] = kss;
  check(a, SolverKind::kCvode, 0.2 * 2 + 0.5 * 4 + 0.3 * 6);
  check(a, SolverKind::kExplicit, 0.2 * 2 + 0.5 * 4 + 0.3 * 6);
}

}  // namespace
}  // namespace icsim
