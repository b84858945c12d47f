// icsim command line: parses flags and calls the library.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "icsim/icsim.h"
// `agents --detail` shows an agent's model, which the public API does not expose.
#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "model/mechanism.h"
#include "model/parameter_defs.h"
#include "model/registry.h"
#include "population/covariates.h"

namespace {

const char* effect_form(icsim::EffectForm f) {
  switch (f) {
    case icsim::EffectForm::kPower: return "power";
    case icsim::EffectForm::kExponential: return "exponential";
    case icsim::EffectForm::kLinear: return "linear";
    case icsim::EffectForm::kFactor: return "factor";
  }
  return "";
}

const char* residual_form(icsim::ResidualForm f) {
  switch (f) {
    case icsim::ResidualForm::kNone: return "none";
    case icsim::ResidualForm::kProportional: return "proportional";
    case icsim::ResidualForm::kAdditive: return "additive";
    case icsim::ResidualForm::kLogAdditive: return "log-additive";
  }
  return "";
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }
std::string unit_suffix(const std::string& unit) { return unit == "1" ? "" : " " + unit; }

// One library agent as the engine sees it: every parameter in its engine unit with
// its source (defaults filled in, unused ones dropped), then the population model.
// Unknown ids are input errors with the closest id.
void print_agent_detail(const std::string& id) {
  const std::vector<std::string> ids = icsim::library_agent_ids();
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
    const std::string hint = icsim::closest_agent_id(id);
    throw icsim::InputError("agents --detail", 0, "",
                            hint.empty() ? fmt::format("unknown agent '{}' (library: {})", id, fmt::join(ids, ", "))
                                         : fmt::format("unknown agent '{}' (did you mean '{}'?)", id, hint));
  }
  icsim::AgentSpec a = icsim::read_agent_file(icsim::data_directory() + "/agents/" + id + ".yaml");
  icsim::finalise_agent(a);
  fmt::print("{}: {} ({}, {})\n", a.id, or_dash(a.name), or_dash(a.target_name), or_dash(a.agent_class));
  fmt::print("file: {}\n", a.file);
  fmt::print("molecular weight: {:g} kDa\n", a.molecular_weight / 1000.0);
  std::vector<std::string> on;
  for (const icsim::Mechanism* m : icsim::mechanisms())
    if (a.has_mechanism(m->section())) on.push_back(m->section());
  fmt::print("mechanisms: {}\n", fmt::join(on, ", "));

  fmt::print("\nparameters (engine units):\n");
  size_t width = 0;
  for (const auto& [name, p] : a.params) width = std::max(width, name.size());
  for (const icsim::ParamDef& def : icsim::parameter_defs()) {  // in the order of the reference
    auto it = a.params.find(def.name);
    if (it == a.params.end()) continue;
    fmt::print("  {:<{}}  {:>10.6g} {:<9}  {}\n", def.name, width, it->second.value, def.engine_unit,
               or_dash(it->second.source));
  }

  if (!a.covariate_reference.values.empty() || !a.covariate_reference.levels.empty()) {
    fmt::print("\ncovariates (reference values):\n");
    for (const auto& [name, v] : a.covariate_reference.values)
      fmt::print("  {:<12} {:g} {}\n", name, v, icsim::find_covariate(name)->unit);
    for (const auto& [name, level] : a.covariate_reference.levels) fmt::print("  {:<12} {}\n", name, level);
  }

  fmt::print("\ncovariate effects:{}\n", a.effects.empty() ? " none" : "");
  for (const auto& e : a.effects) {
    const std::string what =
        e.form == icsim::EffectForm::kFactor
            ? fmt::format("factor {:g} when {}", e.coefficient, e.level)
            : fmt::format("{} {} {:g}", effect_form(e.form),
                          e.form == icsim::EffectForm::kPower ? "exponent" : "coefficient", e.coefficient);
    fmt::print("  {:<{}}  {:<12} {:<28} {}\n", e.parameter, width, e.covariate, what, or_dash(e.source));
  }

  fmt::print("\nrandom effects:{}\n", a.random_effects.empty() ? " none" : "");
  for (const auto& r : a.random_effects) {
    const bool log_normal = r.form == icsim::RandomEffectForm::kLogNormal;
    const std::string what =
        log_normal ? fmt::format("log-normal, variance {:g} (CV {:.3g} %)", r.variance,
                                 100.0 * std::sqrt(std::exp(r.variance) - 1.0))
                   : fmt::format("additive, variance {:g} (SD {:.4g}{})", r.variance, std::sqrt(r.variance),
                                 unit_suffix(icsim::find_param_def(r.parameter)->engine_unit));
    fmt::print("  {:<{}}  {:<41} {}\n", r.parameter, width, what, or_dash(r.source));
  }
  for (const auto& c : a.covariances) fmt::print("  covariance of {} and {}: {:g}\n", c.first, c.second, c.covariance);

  fmt::print("\nresidual error: {}", residual_form(a.residual.form));
  if (a.residual.form != icsim::ResidualForm::kNone) fmt::print(", sd {:g}  {}", a.residual.sd, or_dash(a.residual.source));
  fmt::print("\n");
}

// SIGINT and SIGTERM ask the run to stop: the handler only sets a lock-free flag
// (async-signal-safe); the cohort sees it before the next patient, the writer removes
// its temporary directory as the error unwinds, and icsim exits with 128 + the signal.
// SA_RESETHAND: a second signal ends the process at once (what it leaves behind is
// removed by the next run into the same directory).
std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int sig) {
  g_signal = sig;
  g_stop.store(true, std::memory_order_relaxed);
}

void catch_stop_signals() {
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    // A signal ignored when icsim started (`icsim ... &` in a script, nohup) stays ignored.
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(sig, &sa, nullptr);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"icsim: mechanistic simulation of immunoconjugate therapy in multiple myeloma"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("icsim ") + icsim::version(), "print the version and exit");
  app.footer(
      "Every key of scenario and agent files, the units, outputs and errors: docs/scenarios.md\n"
      "(in the icsim source tree; the model's equations are in docs/model.md).");
  auto* sim = app.add_subcommand("simulate", "simulate a scenario and write its results");
  auto* dosimetry = app.add_subcommand(
      "dosimetry", "simulate a radioimmunoconjugate scenario and write its organ absorbed doses (dosimetry.json)");
  std::string scenario, out;
  std::vector<std::string> sets;
  int threads = 0;
  std::vector<std::string> outputs;
  bool no_timeseries = false;
  for (CLI::App* c : {sim, dosimetry}) {
    c->add_option("scenario", scenario, "scenario file (YAML)")->required();
    c->add_option("-o,--output", out, "output directory")->required();
    c->add_option("--set", sets, "override one scenario key, e.g. --set regimen.dose=\"3.4 mg/kg\"")
        ->take_all()
        ->allow_extra_args(false);
    c->add_option("--threads", threads, "worker threads (default: all cores)")
        ->check(CLI::Validator(
            [](std::string& v) -> std::string {
              // (CLI::NonNegativeNumber printed its bound as a 309-digit number.)
              const char* b = v.c_str();
              char* end = nullptr;
              errno = 0;
              const long long n = std::strtoll(b, &end, 10);
              while (end != b && std::isspace(static_cast<unsigned char>(*end))) ++end;
              if (end == b || *end != '\0')
                return "must be a whole number of threads (0: all cores), got '" + v + "'";
              if (n < 0) return "must be 0 (all cores) or a positive number of threads, got " + v;
              if (errno == ERANGE || n > std::numeric_limits<int>::max()) return "too many threads: " + v;
              return "";
            },
            "INT >= 0"));
    c->add_option("--outputs", outputs,
                  "write only these files (comma-separated): timeseries, patients, intervals, samples, windows; "
                  "summary.json and scenario.yaml (and for dosimetry, dosimetry.json and dose_rate.csv) are always "
                  "written")
        ->delimiter(',');
    c->add_flag("--no-timeseries", no_timeseries, "write everything but timeseries.csv (and do not fill the grid)");
  }
  auto* agents = app.add_subcommand("agents", "list the agents in the library");
  std::string detail;
  agents->add_option("--detail", detail,
                     "show one agent: its parameters (engine units, sources), covariate effects and random effects");
  auto* help = app.add_subcommand("help", "show this help (as --help); 'icsim help COMMAND' for a command's");
  std::string help_on;
  help->add_option("command", help_on, "simulate, dosimetry or agents");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*help) {
      // app.help() would describe the selected subcommand, i.e. `help` itself.
      if (help_on.empty()) {
        fmt::print("{}", app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal));
        return 0;
      }
      for (CLI::App* sub : {sim, dosimetry, agents})
        if (sub->get_name() == help_on) {
          fmt::print("{}", sub->help(app.get_name()));
          return 0;
        }
      fmt::print(stderr, "icsim: error: no command '{}' (commands: simulate, dosimetry, agents, help)\n", help_on);
      return 2;
    }
    if (*agents) {
      if (!detail.empty()) {
        print_agent_detail(detail);
        return 0;
      }
      int status = 0;
      const std::vector<icsim::AgentInfo> library = icsim::library_agents();
      if (library.empty()) {  // it listed nothing, silently
        fmt::print(stderr, "icsim: error: {}\n", icsim::empty_library_reason());
        return 2;
      }
      for (const auto& a : library) {
        if (!a.error.empty()) {
          fmt::print(stderr, "icsim: error: {}\n", a.error);
          status = 2;
          continue;
        }
        fmt::print("{:<24} {} ({}, {})\n", a.id, a.name, a.antigen, a.agent_class);
      }
      return status;
    }
    icsim::RunOptions o;
    o.threads = threads;
    o.stop = &g_stop;
    catch_stop_signals();
    o.outputs = outputs;
    if (no_timeseries) {
      if (!outputs.empty()) throw icsim::InputError("--no-timeseries", 0, "", "give either --outputs or --no-timeseries");
      o.outputs = {"-timeseries"};
    }
    const bool series_wanted = o.outputs.empty() ? true
                               : o.outputs.front() == "-timeseries"
                                   ? false
                                   : std::find(o.outputs.begin(), o.outputs.end(), "timeseries") != o.outputs.end();
    o.keep_series = series_wanted || *dosimetry;
    o.on_failure = [](long patient, double t, const std::string& why) {
      fmt::print(stderr, "icsim: patient {} failed at t = {:.6g} day: {}\n", patient, t, why);
    };
    const icsim::RunSummary s = *dosimetry ? icsim::dosimetry_to_directory(scenario, out, sets, o)
                                           : icsim::simulate_to_directory(scenario, out, sets, o);
    fmt::print("{}: {} with {} patient(s), {} failed, {:.3f} s\n{}results in {}: {}\n", s.scenario, s.agent, s.patients,
               s.failed, s.seconds, s.statistics, out, fmt::join(s.files, ", "));
    return s.failed == s.patients ? 1 : 0;
  } catch (const icsim::Interrupted& e) {
    fmt::print(stderr, "icsim: {}\n", e.what());
    return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT);
  } catch (const icsim::InputError& e) {
    fmt::print(stderr, "icsim: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "icsim: internal error: {}\n", e.what());
    return 3;
  }
}
