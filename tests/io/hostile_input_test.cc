// A corpus of hostile input, interruption and concurrent runs (issue 9): what an
// adversarial user found broke icsim's promise (bad input: a clear message, exit 2,
// nothing written; a run writes DIR whole or not at all). Each case runs the built
// binary. Table cases: the scenario, the arguments, the exit status and a fragment
// of the message; a rejected case must leave no DIR and no temporary beside it.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "io/cli_support.h"

namespace icsim {
namespace {

using test::replace;

namespace fs = std::filesystem;
using test::contains;

const std::string kGood =
    "name: ok\n"
    "agent: belantamab-mafodotin\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}\n"
    "simulation: {until: 168 d, output_every: 1 d}\n";

// The patient's myeloma (a `disease:` section): its lines 4-9.
const std::string kDisease =
    "name: dz1\n"
    "agent: belantamab-mafodotin\n"
    "patient: {weight: 75 kg}\n"
    "disease:\n"
    "  m_protein: 30 g/L\n"
    "  assessment_every: 21 d\n"
    "  clones:\n"
    "    - {name: sensitive, fraction: 0.99, antigen: 670 /cell}\n"
    "    - {name: negative, fraction: 0.01, antigen: 0 /cell}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}\n"
    "simulation: {until: 168 d, output_every: 7 d}\n";

// A radioimmunoconjugate: 177Lu on daratumumab, dosed by activity.
const std::string kLabelled =
    "name: ric1\n"
    "agent:\n"
    "  base: daratumumab\n"
    "  label: {nuclide: Lu-177, specific_activity: 185 MBq/mg}\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 1850 MBq, infusion: 30 min}\n"
    "simulation: {until: 42 d, output_every: 1 d}\n";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

// 9 levels of 9 aliases (a "billion laughs"): 9^9 paths through 10 lists.
std::string alias_bomb(const std::string& indent) {
  std::string s = indent + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    s += indent + "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) s += (k ? ", *a" : "*a") + std::to_string(i - 1);
    s += "]\n";
  }
  return s;
}

bool temporaries_beside(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string f = e.path().filename().string();
    if (f.find(".tmp-") != std::string::npos || f.find(".old-") != std::string::npos) return true;
  }
  return false;
}

struct Case {
  std::string name;
  std::string scenario;  // written to {dir}/s.yaml
  std::string args;      // after "simulate"; {dir} is the case's directory. Empty: "{dir}/s.yaml -o {dir}/out"
  int status;
  std::string fragment;  // in stderr (or, for status 0, in stdout)
  std::function<void(const fs::path&)> setup = nullptr;
  double max_seconds = 60;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

struct Ran {
  int status;
  std::string out, err;
  fs::path dir;
  double seconds;
};

Ran run_case(const Case& c) {
  const fs::path dir = test::temp_dir("hostile-" + c.name);
  test::write_file(dir / "s.yaml", c.scenario);
  if (c.setup) c.setup(dir);
  const std::string args = replace_all(c.args.empty() ? "{dir}/s.yaml -o {dir}/out" : c.args, "{dir}", dir.string());
  // Run in the case's directory ("-o ." must name it, never the test's).
  const std::string cmd = "cd " + dir.string() + " && " + (c.name == "pipe-is-read" ? "cat s.yaml | " : "") +
                          std::string(ICSIM_BINARY) + " simulate " + args + " >" + (dir / "stdout").string() +
                          " 2>" + (dir / "stderr").string();
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = std::system(cmd.c_str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {WEXITSTATUS(rc), test::slurp(dir / "stdout"), test::slurp(dir / "stderr"), dir, seconds};
}

std::vector<Case> cases() {
  std::vector<Case> v;
  // 1. `-o out/`: the temporary directory goes beside out, not into it.
  v.push_back({"trailing-slash", kGood, "{dir}/s.yaml -o {dir}/out/", 0, "results in"});
  v.push_back({"current-directory", kGood, "{dir}/s.yaml -o .", 2, "cannot use the current directory"});
  // 3. Infusions below 1e-6 day are boluses: the dose is never lost (Cmax 44.54 as a bolus).
  v.push_back({"infusion-1e-10-day", replace(kGood, "30 min", "1e-10 d"), "", 0, "Cmax 44.54 ug/mL"});
  v.push_back({"infusion-50-microseconds", replace(kGood, "30 min", "0.00005 s"), "", 0, "Cmax 44.54 ug/mL"});
  v.push_back({"infusion-1e-9-day", replace(kGood, "30 min", "1e-9 d"), "", 0, "Cmax 44.54 ug/mL"});
  v.push_back({"infusion-2e-6-day", replace(kGood, "30 min", "2e-6 d"), "", 0, "Cmax 44.54 ug/mL"});
  // 4. Alias bombs: each node is checked once.
  // (a description must be text: the bomb is refused as such, in milliseconds)
  v.push_back({"alias-bomb-description", replace(kGood, "name: ok\n", "name: ok\ndescription:\n" + alias_bomb("  ")), "",
               2, "s.yaml:3: description: must be a single text value", nullptr, 5});
  v.push_back({"set-duplicate-key", kGood, "{dir}/s.yaml -o {dir}/out --set 'patient={weight: 70 kg, weight: 80 kg}'", 2,
               "--set: patient.weight: key given twice"});
  v.push_back({"alias-duplicate-key-found", replace(kGood, "patient: {weight: 75 kg}\n",
                                                    "x: &m {a: 1, a: 2}\npatient: {weight: 75 kg}\n"),
               "", 2, "s.yaml:3: x.a: key given twice"});
  v.push_back({"alias-bomb-agent-file", replace(kGood, "agent: belantamab-mafodotin", "agent: {file: a.yaml}"), "", 2,
               "a.yaml:2: a0: unknown key",
               [](const fs::path& d) { test::write_file(d / "a.yaml", "id: bomb\n" + alias_bomb("")); }, 5});
  // 5. Input and output size.
  v.push_back({"dev-zero", kGood, "/dev/zero -o {dir}/out", 2, "/dev/zero: is a device or socket, not a YAML file"});
  v.push_back({"directory-as-scenario", kGood, "{dir} -o {dir}/out", 2, "is a directory, not a YAML file"});
  v.push_back({"huge-file", kGood + "# " + std::string(17 << 20, 'x') + "\n", "", 2, "input files are limited to 16 MB"});
  v.push_back({"stdin-is-read", kGood, "/dev/stdin -o {dir}/out <{dir}/s.yaml", 0, "results in"});
  v.push_back({"pipe-is-read", kGood, "/dev/stdin -o {dir}/out", 0, "results in"});  // `cat s.yaml |` before
  v.push_back({"output-75-GB", kGood, "{dir}/s.yaml -o {dir}/out --set simulation.patients=1e7", 2,
               "the results would take about 75.7 GB on disk (1e+07 patients x 169 output times x 4 columns", nullptr,
               5});
  v.push_back({"grid-in-memory", kGood,
               "{dir}/s.yaml -o {dir}/out --set simulation.patients=1000 --set simulation.output_every=0.0000169d", 2,
               "the output grid would hold about 163 GB in memory", nullptr, 5});
  // 7. Output directory problems are found before simulating (a cohort of 10^5 would take seconds).
  v.push_back({"output-is-a-file", kGood,
               "{dir}/s.yaml -o {dir}/out --set simulation.patients=100000 --set simulation.variability=true", 2,
               "out: exists and is not a directory",
               [](const fs::path& d) { test::write_file(d / "out", "mine\n"); }, 5});
  v.push_back({"output-holds-foreign-files", kGood,
               "{dir}/s.yaml -o {dir}/out --set simulation.patients=100000 --set simulation.variability=true", 2,
               "the output directory holds a file that icsim did not write (notes.txt)",
               [](const fs::path& d) {
                 fs::create_directories(d / "out");
                 test::write_file(d / "out" / "notes.txt", "mine\n");
               },
               5});
  // 8. Bytes that are not UTF-8 in a name: written as U+FFFD, not a crash at the end.
  v.push_back({"non-utf8-name", replace(kGood, "name: ok", "name: \"ok\xff\xfe\""), "", 0, "results in"});
  // 9. The population model: a zero variance fixes an effect; errors name the user's line.
  auto with_agent = [](const std::string& lines) {
    return replace(kGood, "agent: belantamab-mafodotin\n", "agent:\n  base: belantamab-mafodotin\n" + lines);
  };
  const std::string cohort = "{dir}/s.yaml -o {dir}/out --set simulation.patients=3 --set simulation.variability=true";
  v.push_back({"zero-variance-fixes-an-effect",
               with_agent("  variability: {replace: [{parameter: disposition.CL, form: log-normal, variance: 0},\n"
                          "    {parameter: disposition.V1, form: log-normal, variance: 0.04}]}\n"
                          "  covariance: {replace: []}\n"),
               cohort, 0, "3 patient(s), 0 failed"});
  v.push_back({"covariance-of-a-parameter-with-itself",
               with_agent("  covariance: {add: [{between: [disposition.CL, disposition.CL], covariance: 0.01}]}\n"),
               cohort, 2, "s.yaml:4: agent.covariance.add[0].between: a covariance is between two different parameters"});
  v.push_back({"correlation-above-one-blames-the-users-line",
               with_agent("  covariance: {add: [{between: [disposition.CL, disposition.Q], covariance: 5}]}\n"), cohort,
               2, "s.yaml:4: agent.covariance.add[0]: the covariance of disposition.CL and disposition.Q (5) makes "
                  "their correlation 103.4"});
  v.push_back({"covariance-with-a-fixed-effect",
               with_agent("  variability: {replace: [{parameter: disposition.CL, form: log-normal, variance: 0},\n"
                          "    {parameter: disposition.V1, form: log-normal, variance: 0.04}]}\n"),
               cohort, 2, "a covariance with disposition.CL, whose variance is 0 (a fixed effect), must be 0"});
  v.push_back({"negative-residual-variance", with_agent("  residual_error: {form: additive, variance: -1}\n"), "", 2,
               "s.yaml:4: agent.residual_error.variance: a variance must be >= 0"});
  v.push_back({"description-list", replace(kGood, "name: ok\n", "name: ok\ndescription: [a, b]\n"), "", 2,
               "s.yaml:2: description: must be a single text value, not a list or mapping"});
  v.push_back({"description-mapping-in-an-override", with_agent("  description: {a: 1}\n"), "", 2,
               "s.yaml:4: agent.description: must be a single text value, not a list or mapping"});
  v.push_back({"description-list-in-an-agent-file", replace(kGood, "agent: belantamab-mafodotin", "agent: {file: a.yaml}"),
               "", 2, "a.yaml:2: description: must be a single text value",
               [](const fs::path& d) { test::write_file(d / "a.yaml", "id: mine\ndescription: [a, b]\n"); }});
  v.push_back({"description-block-text", replace(kGood, "name: ok\n", "name: ok\ndescription: |\n  two\n  lines\n"), "",
               0, "results in"});
  v.push_back({"no-dose-before-until", replace(kGood, "doses: 8}", "doses: 8, start: 200 d}"), "", 0,
               "warning: no dose falls before the end of the simulation (168 d): the first of the 8 planned is at "
               "200 d, so none is given"});
  // 10. A typical parameter out of its bound for the scenario's patient: exit 2 naming
  // the effect that took it out (it was exit 1, every patient failing).
  v.push_back({"covariate-effect-makes-cl-negative",
               replace(with_agent("  covariate_effects:\n    add:\n      - {parameter: disposition.CL, covariate: igg, "
                                  "form: linear, coefficient: 0.1, source: me}\n"),
                       "patient: {weight: 75 kg}", "patient: {weight: 75 kg, igg: 2 g/L}"),
               "", 2,
               "s.yaml:6: agent.covariate_effects.add[0]: this covariate effect makes the typical disposition.CL "
               "-0.197229 L/day for the scenario's patient (igg 2 g/L, reference 15 g/L: a factor of -0.3 on 0.657432 "
               "L/day); disposition.CL must be > 0"});
  v.push_back({"covariate-effect-makes-cl-infinite",
               with_agent("  covariate_effects:\n    add:\n      - {parameter: disposition.CL, covariate: weight, "
                          "form: exponential, coefficient: 1000, source: me}\n"),
               "{dir}/s.yaml -o {dir}/out --set patient.weight=80kg --set patient.height=170cm", 2,
               "s.yaml:6: agent.covariate_effects.add[0]: this covariate effect makes the typical disposition.CL inf "
               "L/day"});
  // 12. Messages that mislead. The user's bytes are escaped: a terminal escape, a NUL
  // (which cut the message short) or a byte that is not UTF-8 is shown as \xHH.
  v.push_back({"binary-key-escaped", kGood + "\"k\\x1b[31mx\\x00y\": 1\n", "", 2,
               "s.yaml:6: k\\x1b[31mx\\x00y: unknown key (allowed: name,"});
  v.push_back({"non-utf8-agent-escaped", replace(kGood, "agent: belantamab-mafodotin", "agent: bel\xff\xfe"), "", 2,
               "s.yaml:2: agent: unknown agent 'bel\\xff\\xfe'"});
  v.push_back({"utf8-kept-in-messages", replace(kGood, "agent: belantamab-mafodotin", "agent: bel\xc2\xb5"), "", 2,
               "unknown agent 'bel\xc2\xb5'"});
  v.push_back({"whole-number-too-large", kGood, "{dir}/s.yaml -o {dir}/out --set simulation.seed=1e16", 2,
               "--set: simulation.seed: '1e16' is too large: whole numbers are limited to 1e15 (1000000000000000)"});
  v.push_back({"whole-number-fraction", kGood, "{dir}/s.yaml -o {dir}/out --set simulation.seed=2.5", 2,
               "--set: simulation.seed: expected a whole number, got '2.5'"});
  v.push_back({"set-index-of-an-empty-list", kGood, "{dir}/s.yaml -o {dir}/out --set 'protocol=[]' --set protocol.0.rule=x",
               2, "--set: protocol.0.rule: '0' is not an index of the list: 'protocol' is an empty list"});
  v.push_back({"set-index-out-of-range", kGood,
               "{dir}/s.yaml -o {dir}/out --set 'protocol=[{rule: stop_dosing, from: 1 d}]' --set protocol.3.from=2d", 2,
               "--set: protocol.3.from: '3' is not an index of the list (0..0)"});
  v.push_back({"threads-negative", kGood, "{dir}/s.yaml -o {dir}/out --threads -1", 2,
               "--threads: must be 0 (all cores) or a positive number of threads, got -1"});
  v.push_back({"threads-not-a-number", kGood, "{dir}/s.yaml -o {dir}/out --threads 1.5", 2,
               "--threads: must be a whole number of threads (0: all cores), got '1.5'"});
  v.push_back({"threads-too-many", kGood, "{dir}/s.yaml -o {dir}/out --threads 99999999999", 2,
               "--threads: too many threads: 99999999999"});
  // An error inside a --set value names --set, not the scenario's line 1 (the value's own line).
  v.push_back({"set-value-inner-key", kGood, "{dir}/s.yaml -o {dir}/out --set 'simulation={until: 1 d, output_every: 1 d, foo: 1}'",
               2, "icsim: error: --set: simulation.foo: unknown key"});
  v.push_back({"set-value-inner-value", kGood, "{dir}/s.yaml -o {dir}/out --set 'simulation={until: -1 d, output_every: 1 d}'",
               2, "icsim: error: --set: simulation.until: must be > 0"});
  v.push_back({"set-value-inner-agent", kGood,
               "{dir}/s.yaml -o {dir}/out --set 'agent={base: belantamab-mafodotin, disposition: {CL: -1 L/d}}'", 2,
               "icsim: error: --set: agent.disposition.CL: must be > 0"});
  // 11. Unit exponents that would overflow an int.
  v.push_back({"unit-power-overflow", replace(kGood, "2.5 mg/kg", "2.5 mg/kg2147483647"), "", 2,
               "s.yaml:4: regimen.dose: power out of range in unit 'kg2147483647' (at most 99)"});
  // Spaces around '/' in units (they were rejected): the same run as without them.
  v.push_back({"dose-with-spaces-around-slash", replace(kGood, "2.5 mg/kg, infusion: 30 min", "2.5 mg / kg, infusion: 1e-10 d"),
               "", 0, "Cmax 44.54 ug/mL"});
  v.push_back({"parameter-with-spaces-around-slash", with_agent("  disposition: {CL: 0.926 L / day}\n"), "", 0,
               "results in"});
  v.push_back({"unit-with-a-dangling-slash", replace(kGood, "2.5 mg/kg", "2.5 mg / / kg"), "", 2,
               "s.yaml:4: regimen.dose: malformed unit 'mg / / kg'"});
  // 14. The disease section: each mistake is exit 2 at input, naming the line and the
  // key (a mapping's line is its first key's: line 5 for `disease:`).
  auto disease = [](const std::string& from, const std::string& to) { return replace(kDisease, from, to); };
  v.push_back({"disease-control-runs", kDisease, "{dir}/s.yaml -o {dir}/out --set disease.clones.negative.antigen=10/cell",
               0, "results in"});
  v.push_back({"disease-fractions-do-not-add-up-to-one", disease("fraction: 0.01", "fraction: 0.02"), "", 2,
               "s.yaml:5: disease: the clones' fractions add up to 1.01, not 1"});
  v.push_back({"disease-negative-antigen", disease("antigen: 670 /cell", "antigen: -670 /cell"), "", 2,
               "s.yaml:8: disease.clones[0].antigen: must be >= 0"});
  // It said "missing unit (expected a 1/cell, e.g. '1/cell')".
  v.push_back({"disease-antigen-without-unit", disease("antigen: 670 /cell", "antigen: 670"), "", 2,
               "s.yaml:8: disease.clones[0].antigen: missing unit: write it as e.g. '670 /cell'"});
  v.push_back({"disease-set-unknown-clone", kDisease,
               "{dir}/s.yaml -o {dir}/out --set disease.clones.resistant.antigen=0/cell", 2,
               "--set: disease.clones.resistant.antigen: no entry of 'clones' is named 'resistant' (names: sensitive, "
               "negative)"});
  v.push_back({"disease-agent-without-cellular", disease("belantamab-mafodotin", "daratumumab"), "", 2,
               "s.yaml:5: disease: agent 'daratumumab' has no cellular parameters"});
  v.push_back({"disease-unknown-growth-law", disease("  m_protein: 30 g/L\n", "  m_protein: 30 g/L\n  growth: linear\n"),
               "", 2, "s.yaml:6: disease.growth: unknown growth law: use gompertz, exponential, logistic or none"});
  v.push_back({"disease-clone-named-twice", disease("name: negative", "name: sensitive"), "", 2,
               "s.yaml:9: disease.clones[1].name: 'sensitive' is named twice"});
  v.push_back({"disease-clone-without-name", disease("name: negative, ", ""), "", 2,
               "s.yaml:9: disease.clones[1]: missing 'name'"});
  v.push_back({"disease-empty-clones",
               disease("  clones:\n    - {name: sensitive, fraction: 0.99, antigen: 670 /cell}\n"
                       "    - {name: negative, fraction: 0.01, antigen: 0 /cell}\n",
                       "  clones: []\n"),
               "", 2, "s.yaml:7: disease.clones: expected a list of named entries"});
  v.push_back({"disease-unknown-key-in-a-clone", disease("antigen: 0 /cell}", "antigen: 0 /cell, colour: red}"), "", 2,
               "s.yaml:9: disease.clones[1].colour: unknown key (allowed: name, fraction, antigen,"});
  v.push_back({"disease-without-burden", disease("  m_protein: 30 g/L\n", ""), "", 2,
               "s.yaml:5: disease: give the baseline burden: 'm_protein' (serum M-protein, e.g. 30 g/L) or 'cells'"});
  v.push_back({"disease-unknown-model", disease("  m_protein: 30 g/L\n", "  m_protein: 30 g/L\n  model: foo\n"), "", 2,
               "s.yaml:6: disease.model: must be 'mechanistic'"});
  v.push_back({"disease-negative-assessment-interval", disease("assessment_every: 21 d", "assessment_every: -3 d"), "",
               2, "s.yaml:6: disease.assessment_every: must be > 0"});
  // A plateau below the baseline burden: every patient failed at run time (exit 3,
  // "internal error"); now an input error, also when the capacity is the default.
  v.push_back({"disease-capacity-below-burden",
               disease("  m_protein: 30 g/L\n", "  m_protein: 30 g/L\n  growth: gompertz\n  carrying_capacity: 1e9 cell\n"),
               "", 2,
               "s.yaml:5: disease: the carrying capacity (1e+09 cells) must exceed the baseline burden (6.3e+11 cells: "
               "m_protein 30 g/L times cells_per_m_protein 2.1e+10 cell*L/g) for gompertz growth"});
  v.push_back({"disease-default-capacity-below-burden", disease("m_protein: 30 g/L", "m_protein: 20 g/dL"), "", 2,
               "s.yaml:5: disease: the carrying capacity (3.2e+12 cells, the default) must exceed the baseline burden "
               "(4.2e+12 cells: m_protein 200 g/L"});
  v.push_back({"disease-capacity-below-cells-logistic",
               disease("  m_protein: 30 g/L\n", "  cells: 5e11 cell\n  growth: logistic\n  carrying_capacity: 4e11 cell\n"),
               cohort, 2,
               "s.yaml:5: disease: the carrying capacity (4e+11 cells) must exceed the baseline burden (5e+11 cells) for "
               "logistic growth"});
  auto labelled = [](const std::string& from, const std::string& to) { return replace(kLabelled, from, to); };
  v.push_back({"label-control-runs", kLabelled, "", 0, "results in"});
  v.push_back({"label-unknown-nuclide", labelled("Lu-177", "Lu-178"), "", 2,
               "s.yaml:4: agent.label.nuclide: unknown nuclide 'Lu-178' (the library has"});
  v.push_back({"label-activity-without-unit", labelled("1850 MBq", "1850"), "", 2,
               "s.yaml:6: regimen.dose: missing unit"});
  v.push_back({"label-negative-activity", labelled("1850 MBq", "-1850 MBq"), "", 2,
               "s.yaml:6: regimen.dose: a dose must be > 0"});
  v.push_back({"label-activity-for-an-unlabelled-agent",
               labelled("  label: {nuclide: Lu-177, specific_activity: 185 MBq/mg}\n", ""), "", 2,
               "s.yaml:5: regimen.dose: a dose of activity ('1850 MBq') needs a labelled agent"});
  v.push_back({"label-specific-activity-without-unit", labelled("185 MBq/mg", "185"), "", 2,
               "s.yaml:4: agent.label.specific_activity: missing unit"});
  v.push_back({"disease-unknown-binding", disease("  m_protein: 30 g/L\n", "  m_protein: 30 g/L\n  binding: fast\n"), "", 2,
               "s.yaml:6: disease.binding: unknown value 'fast': use kinetic or quasi_equilibrium"});
  // The equilibrium's KD is koff / kon: no binding rate, no equilibrium.
  v.push_back({"disease-equilibrium-without-kon",
               replace(disease("  m_protein: 30 g/L\n", "  m_protein: 30 g/L\n  binding: quasi_equilibrium\n"),
                       "agent: belantamab-mafodotin", "agent: {base: belantamab-mafodotin, cellular: {kon: 0 /nM/day}}"),
               "", 2, "s.yaml:5: disease: binding: quasi_equilibrium needs the agent's cellular.kon > 0"});
  v.push_back({"disease-payload-equilibrium-without-exchange",
               replace(disease("  m_protein: 30 g/L\n", "  m_protein: 30 g/L\n  interstitial_payload: quasi_equilibrium\n"),
                       "agent: belantamab-mafodotin",
                       "agent: {base: belantamab-mafodotin, cellular: {payload_exchange: 0 /day}}"),
               "", 2, "s.yaml:5: disease: interstitial_payload: quasi_equilibrium needs the agent's cellular.payload_exchange > 0"});
  return v;
}

class Hostile : public ::testing::TestWithParam<Case> {};

TEST_P(Hostile, ExitStatusAndMessage) {
  const Case& c = GetParam();
  const Ran r = run_case(c);
  EXPECT_EQ(r.status, c.status) << r.err << r.out;
  EXPECT_TRUE(contains(c.status == 0 ? r.out : r.err, c.fragment))
      << "expected '" << c.fragment << "' in: " << r.err << r.out;
  EXPECT_LT(r.seconds, c.max_seconds);
  EXPECT_FALSE(temporaries_beside(r.dir)) << c.name;
  if (c.status == 2 && !c.setup) EXPECT_FALSE(fs::exists(r.dir / "out")) << c.name;
  if (c.status == 0) {
    EXPECT_TRUE(fs::exists(r.dir / "out" / "summary.json"));
    EXPECT_FALSE(temporaries_beside(r.dir / "out")) << c.name;
    // summary.json is valid JSON whatever bytes the input held.
    std::ifstream in(r.dir / "out" / "summary.json");
    EXPECT_FALSE(nlohmann::json::parse(in, nullptr, false).is_discarded());
  }
  if (c.setup && c.name.rfind("output-", 0) == 0) {  // the user's file or directory is untouched
    EXPECT_TRUE(fs::exists(r.dir / "out"));
    EXPECT_FALSE(fs::exists(r.dir / "out" / "summary.json"));
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Hostile, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& i) {
                           std::string n = i.param.name;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(HostileOutput, NonUtf8NameIsReplacedInTheJson) {
  const Ran r = run_case({"utf8-replace", replace(kGood, "name: ok", "name: \"ok\xff\""), "", 0, ""});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(test::slurp(r.dir / "out" / "summary.json"), "\"scenario\": \"ok\xef\xbf\xbd\""));
}

// 1. SIGINT and SIGTERM: exit 128 + signal, nothing written, no temporary left.
int interrupt_run(const std::string& name, int sig, fs::path* dir_out) {
  const fs::path dir = test::temp_dir("hostile-" + name);
  *dir_out = dir;
  test::write_file(dir / "s.yaml", kGood);
  const std::string out = (dir / "out").string(), scenario = (dir / "s.yaml").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(ICSIM_BINARY, ICSIM_BINARY, "simulate", scenario.c_str(), "-o", out.c_str(), "--threads", "1",
            "--no-timeseries", "--set", "simulation.patients=2000000", "--set", "simulation.variability=true",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait for the run's temporary directory, then a little into the simulation.
  for (int i = 0; i < 1000 && !temporaries_beside(dir); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, sig);
  int status = 0;
  for (int i = 0; i < 1000; ++i) {  // at most 10 s
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1000;
}

TEST(HostileSignals, InterruptRemovesTheTemporaryDirectory) {
  for (int sig : {SIGINT, SIGTERM}) {
    fs::path dir;
    const int status = interrupt_run(sig == SIGINT ? "sigint" : "sigterm", sig, &dir);
    EXPECT_EQ(status, 128 + sig);
    EXPECT_FALSE(temporaries_beside(dir));
    EXPECT_FALSE(fs::exists(dir / "out"));
  }
}

TEST(HostileSignals, StaleTemporariesOfDeadProcessesAreRemoved) {
  const fs::path dir = test::temp_dir("hostile-stale");
  test::write_file(dir / "s.yaml", kGood);
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string d = std::to_string(dead), live = std::to_string(::getpid());
  for (const std::string& name : {".out.tmp-" + d, ".out.tmp-" + d + "-0badcafe", ".out.old-" + d + "-12345678",
                                  ".out.tmp-" + live + "-01234567", ".other.tmp-" + d}) {
    fs::create_directories(dir / name);
    test::write_file(dir / name / "timeseries.csv", "300 MB once\n");
  }
  const std::string cmd = std::string(ICSIM_BINARY) + " simulate " + (dir / "s.yaml").string() + " -o " +
                          (dir / "out").string() + " >/dev/null";
  ASSERT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 0);
  EXPECT_FALSE(fs::exists(dir / (".out.tmp-" + d)));
  EXPECT_FALSE(fs::exists(dir / (".out.tmp-" + d + "-0badcafe")));
  EXPECT_FALSE(fs::exists(dir / (".out.old-" + d + "-12345678")));
  EXPECT_TRUE(fs::exists(dir / (".out.tmp-" + live + "-01234567")));  // a live run's: left alone
  EXPECT_TRUE(fs::exists(dir / (".other.tmp-" + d)));                  // another DIR's: left alone
}

// 2. DIR is replaced whole: a file of an earlier run that this run does not write
// does not remain beside the new ones, and concurrent runs never mix their files.
TEST(HostileOutput, ARunReplacesItsDirectoryWhole) {
  const fs::path dir = test::temp_dir("hostile-replace");
  test::write_file(dir / "s.yaml", kGood);
  const std::string base =
      std::string(ICSIM_BINARY) + " simulate " + (dir / "s.yaml").string() + " -o " + (dir / "out").string();
  ASSERT_EQ(WEXITSTATUS(std::system((base + " >/dev/null").c_str())), 0);
  ASSERT_TRUE(fs::exists(dir / "out" / "timeseries.csv"));
  ASSERT_EQ(WEXITSTATUS(std::system((base + " --no-timeseries >/dev/null").c_str())), 0);
  EXPECT_FALSE(fs::exists(dir / "out" / "timeseries.csv"));
  EXPECT_TRUE(fs::exists(dir / "out" / "intervals.csv"));
  EXPECT_FALSE(temporaries_beside(dir));
}

TEST(HostileOutput, ConcurrentRunsIntoOneDirectoryNeverMix) {
  const fs::path dir = test::temp_dir("hostile-concurrent");
  test::write_file(dir / "s.yaml", kGood);
  const std::string base = std::string(ICSIM_BINARY) + " simulate " + (dir / "s.yaml").string() + " -o " +
                           (dir / "out").string() + " --threads 1 --set simulation.variability=true";
  for (int round = 0; round < 6; ++round) {
    // Three runs at once, of 3, 40 and 200 patients.
    const std::string cmd = "(" + base + " --set simulation.patients=3 >/dev/null & " + base +
                            " --set simulation.patients=40 >/dev/null & " + base +
                            " --set simulation.patients=200 >/dev/null & wait)";
    ASSERT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 0);
    std::ifstream in(dir / "out" / "summary.json");
    const nlohmann::json s = nlohmann::json::parse(in);
    const long patients = s["patients"].get<long>();
    std::set<std::string> in_series;
    std::ifstream series(dir / "out" / "timeseries.csv");
    std::string line;
    std::getline(series, line);
    while (std::getline(series, line)) in_series.insert(line.substr(0, line.find(',')));
    long rows = -1;
    std::ifstream pat(dir / "out" / "patients.csv");
    while (std::getline(pat, line)) ++rows;
    EXPECT_EQ(static_cast<long>(in_series.size()), patients) << "round " << round;
    EXPECT_EQ(rows, patients) << "round " << round;
    EXPECT_TRUE(contains(test::slurp(dir / "out" / "scenario.yaml"), "patients: " + std::to_string(patients)));
    EXPECT_FALSE(temporaries_beside(dir));
  }
}

// 13. One broken library file does not hide the other agents.
TEST(HostileLibrary, AgentsListsTheOthersWhenOneFileIsBroken) {
  const fs::path dir = test::temp_dir("hostile-library");
  fs::create_directories(dir / "agents");
  fs::copy_file(fs::path(ICSIM_TEST_DATA_DIR) / ".." / ".." / "data" / "agents" / "belantamab-mafodotin.yaml",
                dir / "agents" / "belantamab-mafodotin.yaml");
  test::write_file(dir / "agents" / "broken.yaml", "id: broken\nname: [unclosed\n");
  const test::Cli r = test::icsim_cli("library-broken", "agents");  // with the source tree's library: all fine
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string cmd = "ICSIM_DATA_DIR=" + dir.string() + " " + ICSIM_BINARY + " agents >" +
                          (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2);
  EXPECT_TRUE(contains(test::slurp(dir / "stdout"), "belantamab-mafodotin"));
  EXPECT_TRUE(contains(test::slurp(dir / "stderr"), "broken.yaml:")) << test::slurp(dir / "stderr");
}

// 13. A data directory without agents lists nothing silently no more: it says where
// it looked and what is wrong there (exit 2), and so does a scenario naming an agent.
TEST(HostileLibrary, AnEmptyOrMissingLibraryIsAnError) {
  const fs::path dir = test::temp_dir("hostile-library-empty");
  fs::create_directories(dir / "empty" / "agents");
  test::write_file(dir / "s.yaml", kGood);
  struct Want {
    fs::path data;
    std::string args, fragment;
  };
  const std::vector<Want> wants = {
      {dir / "missing", "agents", "icsim: error: no agents in the library: " + (dir / "missing" / "agents").string() +
                                      " does not exist (ICSIM_DATA_DIR is " + (dir / "missing").string() + ")"},
      {dir / "empty", "agents", (dir / "empty" / "agents").string() + " holds no agent files (ID.yaml)"},
      {dir / "missing", "simulate " + (dir / "s.yaml").string() + " -o " + (dir / "out").string(),
       "s.yaml:2: agent: unknown agent 'belantamab-mafodotin': no agents in the library: "},
  };
  for (const Want& w : wants) {
    const std::string cmd = "ICSIM_DATA_DIR=" + w.data.string() + " " + ICSIM_BINARY + " " + w.args + " >" +
                            (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
    EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2) << w.args;
    EXPECT_TRUE(contains(test::slurp(dir / "stderr"), w.fragment)) << test::slurp(dir / "stderr");
    EXPECT_EQ(test::slurp(dir / "stdout"), "");
    EXPECT_FALSE(fs::exists(dir / "out"));
  }
}

}  // namespace
}  // namespace icsim
