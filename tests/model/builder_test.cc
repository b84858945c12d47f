// The model builder and the registry: asking for something nothing declares is a
// programming error that names the module and the name; build order follows the
// declared dependencies; options structs validate themselves and the defaults of
// what needs no input are valid.
#include <gtest/gtest.h>

#include <stdexcept>

#include "icsim/icsim.h"
#include "io/agent_reader.h"
#include "model/build.h"
#include "model/mechanism.h"
#include "model/model.h"
#include "model/registry.h"
#include "support.h"

namespace icsim {
namespace {

void expect_logic_error(const std::function<void()>& f, const std::string& what) {
  try {
    f();
    FAIL() << "no error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(ModelBuilder, UndeclaredNamesAreProgrammingErrorsWithNames) {
  ModelBuilder b;
  b.set_param_index({{"disposition.CL", 0}});
  b.begin_module("my_module");
  EXPECT_EQ(b.param("disposition.CL"), 0);
  EXPECT_EQ(b.find_param("disposition.V9"), -1);
  expect_logic_error([&] { b.param("disposition.V9"); },
                     "module 'my_module' asks for parameter 'disposition.V9' that nothing declares");
  expect_logic_error([&] { b.state("tumour.cells"); }, "module 'my_module' asks for state 'tumour.cells'");
  expect_logic_error([&] { b.quantity("plasma.x"); }, "module 'my_module' asks for quantity 'plasma.x'");
  b.add_state("a.b");
  expect_logic_error([&] { b.add_state("a.b"); }, "declares state 'a.b' twice");
}

TEST(Registry, BuildOrderFollowsDeclaredDependencies) {
  const AgentSpec a = [] {
    AgentSpec x = read_agent_file(test::test_data("agents/adc-full.yaml"));
    finalise_agent(x);
    return x;
  }();
  std::vector<std::string> order;
  for (const Mechanism* m : build_order(a)) order.push_back(m->section());
  EXPECT_EQ(order, (std::vector<std::string>{"disposition", "target", "soluble_antigen", "dar", "payload", "exposure"}));
}

TEST(Registry, EveryParameterIsDeclaredOnce) {
  std::set<std::string> seen;
  for (const auto& d : parameter_defs()) EXPECT_TRUE(seen.insert(d.name).second) << d.name;
  EXPECT_NE(find_param_def("soluble_antigen.kdeg"), nullptr);
  EXPECT_EQ(find_param_def("soluble_antigen.kdeg")->mechanism, find_mechanism("soluble_antigen"));
}

TEST(Options, DefaultsAreValidWhereNothingIsRequired) {
  std::string why;
  EXPECT_TRUE(SolverOptions{}.is_valid(&why)) << why;
  EXPECT_TRUE(RunOptions{}.is_valid(&why)) << why;
  for (const char* section : {"disposition", "exposure"})
    EXPECT_TRUE(find_mechanism(section)->default_options()->is_valid(&why)) << section << ": " << why;
  // The others need input (a model, a molecular weight, a distribution) and say which.
  for (const char* section : {"target", "soluble_antigen", "dar", "payload"}) {
    why.clear();
    EXPECT_FALSE(find_mechanism(section)->default_options()->is_valid(&why)) << section;
    EXPECT_FALSE(why.empty()) << section;
  }
}

TEST(Options, InvalidValuesSayWhy) {
  std::string why;
  SolverOptions s;
  s.rtol = 2;
  EXPECT_FALSE(s.is_valid(&why));
  EXPECT_EQ(why, "rtol must be between 0 and 1");
  RunOptions r;
  r.threads = -1;
  EXPECT_FALSE(r.is_valid(&why));
  EXPECT_NE(why.find("threads"), std::string::npos);
  const LoadedScenario sc = LoadedScenario::from_text(
      "name: t\nagent: belantamab-mafodotin\nregimen: {dose: 2.5 mg/kg, every: 21 d, doses: 1}\n"
      "simulation: {until: 21 d}\n");
  EXPECT_THROW(run_in_memory(sc, r), std::invalid_argument);
}

}  // namespace
}  // namespace icsim
