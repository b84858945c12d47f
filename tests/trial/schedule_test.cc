// The per-patient schedule and the protocol hook: rules at visits hold, reduce and
// stop doses; the exposure observer follows the doses actually given; rule memory
// is per patient and rule randomness comes from the patient's stream.
// References: the same regimen written without the rule (tolerance 1e-6 relative:
// a visit adds one integrator restart, so the paths differ at the tolerance level),
// and exact counts of doses and intervals.
#include <gtest/gtest.h>

#include <cmath>

#include "icsim/error.h"
#include "support.h"
#include "trial/protocol.h"
#include "trial/schedule.h"

namespace icsim {
namespace {

const std::string kBela =
    "name: bela\n"
    "agent: belantamab-mafodotin\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}\n"
    "simulation: {until: 168 d, output_every: 1 d, rtol: 1e-8}\n";

TEST(Protocol, StopDosingGivesTheRegimenCutShort) {
  const auto stopped = test::run(test::scenario_from_text(
      "stop", kBela + "protocol: [{rule: stop_dosing, from: 50 d}]\n"));
  const auto three = test::run(test::scenario_from_text("three", kBela, {"regimen.doses=3"}));
  const auto a = test::intervals(stopped.patients.at(0)), b = test::intervals(three.patients.at(0));
  ASSERT_EQ(a.size(), 3u);  // doses at 0, 21 and 42; none from day 50 on
  ASSERT_EQ(b.size(), 3u);
  double worst = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].start_day, b[k].start_day);
    EXPECT_EQ(a[k].end_day, b[k].end_day);
    EXPECT_NEAR(a[k].auc, b[k].auc, 1e-6 * b[k].auc);
    worst = std::max(worst, std::abs(a[k].auc / b[k].auc - 1));
  }
  const auto& sa = stopped.patients[0].series;
  const auto& sb = three.patients[0].series;
  ASSERT_EQ(sa.size(), sb.size());
  for (size_t i = 0; i < sa.size(); ++i) {
    EXPECT_NEAR(sa[i], sb[i], 1e-6 * std::abs(sb[i]) + 1e-12);
    worst = std::max(worst, std::abs(sa[i] - sb[i]) / (std::abs(sb[i]) + 1e-12));
  }
  std::printf("[measured] stop_dosing from day 50 vs 3 doses: worst relative difference %.2e\n", worst);
}

TEST(Protocol, StopDosingFromDayZeroGivesNoDose) {
  const auto none = test::run(test::scenario_from_text("none", kBela + "protocol: [{rule: stop_dosing, from: 0 d}]\n"));
  EXPECT_TRUE(test::intervals(none.patients.at(0)).empty());
  for (double v : none.patients[0].series) EXPECT_EQ(v, 0.0);
}

// Holds the dose due at day 21 (visit at day 20), resumes at day 30 at half the
// dose, and counts its visits: a rule of the kind a protocol's dose modifications are.
class HoldThenReduce final : public Rule {
 public:
  const char* name() const override { return "hold-then-reduce"; }
  std::unique_ptr<Rule> fresh() const override { return std::make_unique<HoldThenReduce>(); }
  void start(ScheduleEditor& e) override {
    e.add_visit(20.0);
    e.add_visit(30.0);
  }
  void visit(const PatientView& v, ScheduleEditor& e) override {
    ++visits_;
    if (visits_ == 1) {
      EXPECT_EQ(v.doses().size(), 1u);  // the dose at day 0 so far
      e.hold();
    } else {
      EXPECT_EQ(visits_, 2);  // memory is per patient: a fresh rule each time
      e.resume();
      e.set_dose_factor(0.5);
    }
  }

 private:
  int visits_ = 0;
};

TEST(Protocol, HeldDoseExtendsTheIntervalAndReducedDosesFollow) {
  Scenario s = test::scenario_from_text("hold", kBela, {"simulation.patients=3", "simulation.variability=true"});
  s.protocol.rules.push_back(std::make_shared<HoldThenReduce>());
  const auto sink = test::run(s, 2);
  ASSERT_EQ(sink.patients.size(), 3u);
  for (const auto& p : sink.patients) {
    const auto iv = test::intervals(p);
    ASSERT_EQ(iv.size(), 7u);  // 8 planned, the one at day 21 held
    EXPECT_EQ(iv[0].start_day, 0.0);
    EXPECT_EQ(iv[0].end_day, 42.0);  // runs on to the next dose given
    EXPECT_NEAR(iv[1].dose_mg, 0.5 * iv[0].dose_mg, 1e-12 * iv[0].dose_mg);
    EXPECT_EQ(iv[1].start_day, 42.0);
  }
}

// Draws a dose factor from the patient's stream at each visit.
class RandomReduction final : public Rule {
 public:
  const char* name() const override { return "random-reduction"; }
  std::unique_ptr<Rule> fresh() const override { return std::make_unique<RandomReduction>(); }
  void start(ScheduleEditor& e) override { e.add_visit(10.0); }
  void visit(const PatientView& v, ScheduleEditor& e) override { e.set_dose_factor(0.5 + 0.5 * v.random().uniform()); }
};

TEST(Protocol, RuleRandomnessIsThePatientsOwnWhateverTheThreads) {
  Scenario s = test::scenario_from_text("random-rule", kBela, {"simulation.patients=40", "simulation.variability=true"});
  s.protocol.rules.push_back(std::make_shared<RandomReduction>());
  const auto one = test::run(s, 1), two = test::run(s, 2);
  double lowest = 1, highest = 0;
  for (size_t i = 0; i < one.patients.size(); ++i) {
    EXPECT_EQ(one.patients[i].series, two.patients[i].series);
    const auto iv = test::intervals(one.patients[i]);
    const double factor = iv[1].dose_mg / iv[0].dose_mg;
    lowest = std::min(lowest, factor);
    highest = std::max(highest, factor);
  }
  EXPECT_LT(lowest, highest);  // patients drew different factors
  EXPECT_GE(lowest, 0.5);
  EXPECT_LE(highest, 1.0);
}

TEST(Protocol, BadRulesNameTheKey) {
  try {
    test::scenario_from_text("bad-rule", kBela + "protocol: [{rule: stop_dosin, from: 50 d}]\n");
    FAIL() << "accepted an unknown rule";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "protocol[0].rule");
    EXPECT_NE(std::string(e.what()).find("did you mean 'stop_dosing'"), std::string::npos) << e.what();
  }
  try {
    test::scenario_from_text("no-from", kBela + "protocol: [{rule: stop_dosing}]\n");
    FAIL() << "accepted a rule without its day";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "protocol[0]");
  }
}

TEST(Schedule, EveryPatientStartsFromTheFirstDose) {
  // A worker's schedule is left wherever the previous patient stopped (doses after
  // the end, or stopped by a rule); the time of the first dose, from which the
  // clearance change counts, must not come from there. Identical typical patients
  // must give identical results, on one thread and on two.
  for (const char* extra : {"", "protocol: [{rule: stop_dosing, from: 60 d}]\n"}) {
    const auto sink = test::run(test::scenario_from_text(
                                    "first-dose", kBela + extra, {"regimen.start=10 d", "simulation.until=100 d",
                                                                  "simulation.patients=4"}),
                                1);
    for (const auto& p : sink.patients) EXPECT_EQ(p.series, sink.patients[0].series) << extra;
  }
}

// Holds every dose from a visit on.
class HoldFrom final : public Rule {
 public:
  explicit HoldFrom(double day) : day_(day) {}
  const char* name() const override { return "hold-from"; }
  std::unique_ptr<Rule> fresh() const override { return std::make_unique<HoldFrom>(day_); }
  void start(ScheduleEditor& e) override { e.add_visit(day_); }
  void visit(const PatientView&, ScheduleEditor& e) override { e.hold(); }

 private:
  double day_;
};

TEST(Protocol, AnIntervalWhoseEndingDoseIsHeldAtTheEndIsStillReported) {
  Scenario s = test::scenario_from_text("hold-at-end", kBela, {"simulation.until=21 d", "regimen.doses=2"});
  s.protocol.rules.push_back(std::make_shared<HoldFrom>(20.0));
  const auto iv = test::intervals(test::run(s).patients.at(0));
  ASSERT_EQ(iv.size(), 1u);
  EXPECT_EQ(iv[0].end_day, 21.0);
}

TEST(Protocol, StoppingDosingEndsAnIntervalPlannedToRunToALaterPhase) {
  // Three weekly doses, then a later phase from day 60; dosing stops from day 30, so
  // the dose at day 60 is never given and the interval from day 14 ends one nominal
  // interval (7 d) after it starts, not at day 60.
  const auto sink = test::run(test::scenario_from_text(
      "stop-phase", kBela + "protocol: [{rule: stop_dosing, from: 18 d}]\n",
      {"regimen=[{dose: 50 mg, every: 7 d, doses: 3}, {dose: 10 mg, every: 21 d, doses: 3, start: 60 d}]"}));
  const auto iv = test::intervals(sink.patients.at(0));
  ASSERT_EQ(iv.size(), 3u);
  EXPECT_EQ(iv[2].start_day, 14.0);
  EXPECT_EQ(iv[2].end_day, 21.0);
}

TEST(Schedule, FeedGivesDosesInTimeOrderAcrossOverlappingPhases) {
  const Scenario s = test::scenario_from_text(
      "overlap", "name: o\nagent: daratumumab\npatient: {weight: 70 kg}\n"
                 "regimen: [{dose: 1 mg, every: 10 d, doses: 3}, {dose: 2 mg, every: 4 d, doses: 4, start: 1 d}]\n"
                 "simulation: {until: 30 d}\n");
  DoseFeed feed(s.regimen, complete_covariates(s.patient, s.agent.covariate_reference, s.bsa_formula),
                s.agent.molecular_weight);
  std::vector<double> times;
  for (; !feed.empty(); feed.pop()) times.push_back(feed.peek().time_day);
  EXPECT_EQ(times, (std::vector<double>{0, 1, 5, 9, 10, 13, 20}));
}

TEST(Schedule, ManyDosesRunInOnePass) {
  // 20,000 doses: the schedule holds one dose per phase at a time, so this is linear.
  const auto r = test::run(test::scenario_from_text(
      "many", kBela, {"regimen.every=0.1 d", "regimen.doses=20000", "regimen.infusion=0.01 d",
                      "simulation.until=2000 d", "simulation.output_every=100 d"}));
  EXPECT_EQ(test::intervals(r.patients.at(0)).size(), 20000u);
}

}  // namespace
}  // namespace icsim
