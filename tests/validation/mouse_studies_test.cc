// The preclinical studies of scenarios/mouse/ (docs/mouse.md): what the model must get
// right whatever its estimated parameters, and the one toxicity threshold it is
// compared with. The medians against the published ones are a table in docs/mouse.md
// (scripts/mouse-studies.sh), not assertions: the model misses several of them, for
// reasons that page names, and a test tuned to pass would hide that.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support.h"
#include "trial/survival.h"

namespace icsim {
namespace {

const std::string kMouse = std::string(ICSIM_TEST_DATA_DIR) + "/../../scenarios/mouse/";

struct Arm {
  double median_day;
  long tumour_deaths, marrow_deaths, alive;
};

Arm run_arm(const std::string& study, const std::string& activity) {
  const std::string set = activity == "none" ? "regimen=none" : "regimen.dose=" + activity;
  const auto sink = test::run(load_scenario(kMouse + study + ".yaml", {set}));
  std::vector<double> times;
  std::vector<bool> censored;
  Arm a{0, 0, 0, 0};
  for (const PatientRecord& r : sink.patients) {
    const Table& t = r.table("survival");
    times.push_back(t.at(0, "survival_day"));
    censored.push_back(t.at(0, "survival_censored") != 0.0);
    const std::string cause = t.schema().level(2, t.at(0, "death_cause"));
    (cause == "tumour" ? a.tumour_deaths : cause == "marrow" ? a.marrow_deaths : a.alive) += 1;
  }
  a.median_day = kaplan_meier(times, censored).median();
  return a;
}

// The untreated arm's doubling time is set so that 1e5 engrafted cells reach the
// lethal 2e8 on the experiment's control median: the whole chain (growth, the daily
// check, Kaplan-Meier) must give that median back within the daily check and the
// spread of 20 mice (2 d).
TEST(MouseStudies, UntreatedArmsDieOnTheirControlMedian) {
  const std::vector<std::pair<std::string, double>> controls = {{"ac225-daratumumab-jnm2021", 35.0},
                                                                {"lu177-daratumumab-jnm2021", 37.0},
                                                                {"bi213-anti-cd138-cherel2013", 45.5},
                                                                {"bi213-9e74-fichou2015", 37.0},
                                                                {"at211-9e74-2020", 45.0}};
  for (const auto& [study, published] : controls) {
    const Arm a = run_arm(study, "none");
    EXPECT_NEAR(a.median_day, published, 2.0) << study;
    EXPECT_EQ(a.tumour_deaths, 20) << study;
  }
}

// More activity kills more myeloma cells: below the activities at which the marrow
// fails, median survival does not fall as the activity rises.
TEST(MouseStudies, SurvivalDoesNotFallWithActivityBelowMarrowFailure) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> studies = {
      {"lu177-daratumumab-jnm2021", {"none", "1.85 MBq", "3.7 MBq", "7.4 MBq"}},
      {"bi213-anti-cd138-cherel2013", {"none", "1.85 MBq", "3.7 MBq", "7.4 MBq"}},
      {"at211-9e74-2020", {"none", "370 kBq", "555 kBq", "740 kBq"}}};
  for (const auto& [study, activities] : studies) {
    double previous = 0.0;
    for (const std::string& activity : activities) {
      const Arm a = run_arm(study, activity);
      EXPECT_EQ(a.marrow_deaths, 0) << study << " " << activity;
      EXPECT_GE(a.median_day, previous) << study << " " << activity;
      previous = a.median_day;
    }
  }
}

// 211At-9E7.4 (PMC7564412): 1100 kBq "highly toxic", 740 kBq "no evident sign of
// toxicity". Nothing in the model was fitted to either: the mouse's lethal progenitor
// fraction comes from the acute X-ray LD50 (docs/mouse.md).
TEST(MouseStudies, AstatineMarrowToxicityThresholdLiesBetween740And1100kBq) {
  EXPECT_EQ(run_arm("at211-9e74-2020", "740 kBq").marrow_deaths, 0);
  EXPECT_EQ(run_arm("at211-9e74-2020", "1100 kBq").marrow_deaths, 20);
}

}  // namespace
}  // namespace icsim
