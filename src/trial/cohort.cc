#include "trial/cohort.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include "core/aligned.h"
#include "core/random.h"
#include "icsim/error.h"
#include "model/build.h"
#include "population/individual.h"
#include "trial/observers/observers.h"
#include "trial/simulate_patient.h"

namespace icsim {

namespace {

// The regular grid (unless switched off) and the times asked for, sorted, each once.
std::vector<double> output_grid(const SimulationSettings& s) {
  std::vector<double> t;
  if (s.grid) {
    const long n = static_cast<long>(std::floor(s.until_day / s.output_every_day + 1e-9));
    for (long k = 0; k <= n; ++k) t.push_back(k * s.output_every_day);
  }
  if (s.times_day.empty()) return t;
  t.insert(t.end(), s.times_day.begin(), s.times_day.end());
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end(), [](double a, double b) { return b - a <= Schedule::kEps; }), t.end());
  return t;
}

double residual(const ResidualErrorSpec& e, double pred, RandomStream& rng) {
  const double eps = rng.normal() * e.sd;
  switch (e.form) {
    case ResidualForm::kProportional: return pred * (1.0 + eps);
    case ResidualForm::kAdditive: return pred + eps;
    case ResidualForm::kLogAdditive: return pred * std::exp(eps);
    case ResidualForm::kNone: return pred;
  }
  return pred;
}

}  // namespace

CohortSummary run_cohort(const Scenario& s, const RunOptions& o, ResultSink& sink) {
  std::string why;
  if (!o.is_valid(&why)) throw std::invalid_argument("run options: " + why);
  const auto t0 = std::chrono::steady_clock::now();
  const IndividualModel individual(s.agent);
  const BuiltModel built = build_model(s.agent, individual, false);
  const Covariates cov = complete_covariates(s.patient, s.agent.covariate_reference, s.bsa_formula);
  const std::vector<double> typical = individual.typical(cov);
  const SimulationSettings& sim = s.simulation;
  const Schedule schedule(DoseFeed(s.regimen, cov, s.agent.molecular_weight), sim.until_day);
  const std::vector<double> times = output_grid(sim);
  const std::vector<double> no_times;
  const bool observed = sim.residual_error && s.agent.residual.form != ResidualForm::kNone;
  auto observers = [&] {
    auto list = standard_observers(*built.model, s.agent.molecular_weight, o.keep_series ? times : no_times);
    if (!sim.dose_samples.empty()) list.push_back(make_dose_samples(*built.model, sim.dose_samples));
    if (!sim.windows.empty())
      list.push_back(make_windows(*built.model, sim.windows, s.agent.molecular_weight));
    if (s.assessment.on) list.push_back(make_response(*built.model, s.assessment));
    if (s.agent.has_mechanism("haematology")) list.push_back(make_haematology(*built.model));
    if (auto deaths = death_criteria(*built.model); !deaths.empty())
      list.push_back(make_survival(*built.model, std::move(deaths)));
    return list;
  };

  CohortInfo info;
  long doses_before_until = 0;
  double first_dose = 0;
  for (const DoseEvent& d : expand_regimen(s.regimen, cov, s.agent.molecular_weight)) {
    first_dose = info.doses_planned == 0 ? d.time_day : std::min(first_dose, d.time_day);
    ++info.doses_planned;
    info.doses_after_until += d.time_day > sim.until_day + Schedule::kEps;
    doses_before_until += d.time_day < sim.until_day - Schedule::kEps;
  }
  if (info.doses_planned > 0 && doses_before_until == 0)
    info.warnings.push_back(fmt::format("no dose falls before the end of the simulation ({:g} d): the first of the "
                                        "{} planned is at {:g} d, so none is given",
                                        sim.until_day, info.doses_planned, first_dose));
  else if (info.doses_after_until > 0)
    info.warnings.push_back(fmt::format("{} of {} planned doses fall after the end of the simulation ({:g} d) and are "
                                        "not given",
                                        info.doses_after_until, info.doses_planned, sim.until_day));
  for (const auto& [name, v] : cov.values) info.covariates.emplace_back(name, fmt::format("{}", v));
  for (const auto& [name, level] : cov.levels) info.covariates.emplace_back(name, level);
  for (const auto& out : built.model->outputs()) info.columns.push_back(out.column);
  info.times = times;
  info.parameters = individual.names();
  info.random_effects = individual.random_effect_names();
  info.observed = observed;
  if (observed) info.observed_column = "plasma_total_observed_ug_per_mL";
  {
    PatientSimulator probe(built, sim.solver, observers());
    info.solver = probe.solver_for(typical.data(), schedule.first_dose_time());
    probe.describe(info);
  }
  // The results of the patients in flight (two chunks) are held in memory: refuse a
  // run that would need more than kMaxInFlightBytes for them before starting it.
  if (o.keep_series && !times.empty()) {
    const double in_flight = static_cast<double>(std::min<long>(sim.patients, 2 * o.chunk));
    const double columns = static_cast<double>(info.columns.size() + (observed ? 1 : 0));
    const double bytes = in_flight * static_cast<double>(times.size()) * columns * 16.0;  // value + its text
    if (bytes > kMaxInFlightBytes)
      throw InputError(s.file, 0, "simulation",
                       fmt::format("the output grid would hold about {:.3g} GB in memory ({:g} patients in flight x "
                                   "{} output times x {:g} columns, 16 bytes each); the limit is {:g} GB: raise "
                                   "simulation.output_every or lower until, or leave the grid out (--no-timeseries)",
                                   bytes / 1e9, in_flight, times.size(), columns, kMaxInFlightBytes / 1e9));
  }
  sink.begin(info);

  std::unique_ptr<tbb::global_control> limit;
  if (o.threads > 0)
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, o.threads);
  // Each thread works in its own buffers and copies a finished patient into the
  // chunk once: threads writing results next to each other's hot data slowed two
  // threads by 40% (false sharing).
  struct alignas(kCacheLine) Worker {
    Worker(const BuiltModel& m, const SolverOptions& o, std::vector<std::unique_ptr<Observer>> obs,
           const Schedule& sch)
        : sim(m, o, std::move(obs)), schedule(sch) {}
    PatientSimulator sim;
    Schedule schedule;
    PatientRecord r;
    std::vector<double> observed;
  };
  tbb::enumerable_thread_specific<std::unique_ptr<Worker>> workers(
      [&] { return std::make_unique<Worker>(built, sim.solver, observers(), schedule); });
  const int n_out = static_cast<int>(info.columns.size());

  auto simulate_one = [&](Worker& w, long index) {
    PatientRecord& r = w.r;
    // The record is reused: clear what another patient left in it.
    r.index = index;
    r.ok = true;
    r.error.clear();
    r.error_time_day = 0.0;
    r.solver = "";
    r.solver_fallback = false;
    r.rhs_evaluations = r.steps = r.rejected_steps = r.jacobian_evaluations = 0;
    RandomStream rng(sim.seed, static_cast<uint64_t>(index));
    r.params.resize(individual.size());
    r.eta.resize(individual.random_effect_count());
    const std::string why =
        individual.individualise(typical, sim.variability ? &rng : nullptr, r.params.data(), r.eta.data());
    if (!why.empty()) {
      r.ok = false;
      r.error = why;
      r.series.clear();
      r.tables.clear();
      return;
    }
    try {
      w.sim.run(r.params.data(), w.schedule, s.protocol, sim.until_day, rng, r);
    } catch (const SolverError& e) {
      r.ok = false;
      r.error = e.reason();
      r.error_time_day = e.time_day();
      r.series.clear();
      r.tables.clear();
      return;
    }
    if (observed) {
      // Residual error on the primary analyte, appended as the last column.
      w.observed.clear();
      const size_t rows = r.series.size() / n_out;
      for (size_t i = 0; i < rows; ++i) {
        w.observed.insert(w.observed.end(), r.series.begin() + i * n_out, r.series.begin() + (i + 1) * n_out);
        w.observed.push_back(residual(s.agent.residual, r.series[i * n_out], rng));
      }
      r.series.swap(w.observed);
    }
  };

  CohortSummary summary;
  // Two chunks in flight: while the sink takes one in patient order on this thread,
  // the workers simulate the next (the sink's writing would otherwise leave them idle).
  struct Chunk {
    long first = 0, count = 0;
    std::vector<PatientRecord> records;
    std::vector<std::vector<std::string>> encoded;  // per patient, when the sink encodes
  };
  const bool encodes = sink.encodes();
  // RunOptions::stop: no patient starts after it is set; the run throws once the
  // workers have returned (a chunk cut short is never delivered).
  auto stopped = [&] { return o.stop && o.stop->load(std::memory_order_relaxed); };
  auto simulate_chunk = [&](Chunk& c, long first) {
    c.first = first;
    c.count = std::min(o.chunk, sim.patients - first);
    c.records.resize(c.count);
    if (encodes) c.encoded.resize(c.count);
    tbb::parallel_for(tbb::blocked_range<long>(0, c.count), [&](const tbb::blocked_range<long>& range) {
      Worker& w = *workers.local();
      for (long k = range.begin(); k < range.end(); ++k) {
        if (stopped()) return;  // the chunk is thrown away below
        simulate_one(w, first + k);
        if (encodes) sink.encode(w.r, c.encoded[k]);
        // The worker takes the slot's buffers in exchange, so nothing is copied.
        std::swap(c.records[k], w.r);
      }
    });
  };
  auto deliver_chunk = [&](const Chunk& c) {
    for (long k = 0; k < c.count; ++k) {
      const PatientRecord& r = c.records[k];
      ++summary.patients;
      if (!r.ok) ++summary.failed;
      if (r.ok) ++summary.solvers[r.solver];
      if (!r.ok && o.on_failure) o.on_failure(r.index, r.error_time_day, r.error);
      if (encodes) sink.deliver(r, c.encoded[k]);
      else sink.patient(r);
    }
  };
  Chunk ready, next;
  if (stopped()) throw Interrupted();
  simulate_chunk(ready, 0);
  if (stopped()) throw Interrupted();
  for (long first = o.chunk; first < sim.patients; first += o.chunk) {
    tbb::task_group group;
    group.run([&] { simulate_chunk(next, first); });
    deliver_chunk(ready);
    group.wait();
    if (stopped()) throw Interrupted();
    std::swap(ready, next);
  }
  deliver_chunk(ready);
  sink.end();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

bool RunOptions::is_valid(std::string* why) const {
  auto fail = [why](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (threads < 0) return fail("threads must be >= 0 (0: all cores)");
  if (chunk < 1) return fail("chunk must be >= 1");
  return true;
}

}  // namespace icsim
