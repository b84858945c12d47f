#include "io/result_writer.h"

#include <algorithm>
#include <cmath>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "icsim/error.h"

namespace icsim {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// Percentile by linear interpolation between order statistics (type 7).
double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  return i + 1 < v.size() ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

json spread(const std::vector<double>& v) {
  if (v.empty()) return nullptr;
  return {{"median", percentile(v, 0.5)}, {"p5", percentile(v, 0.05)}, {"p95", percentile(v, 0.95)}};
}
}  // namespace

DirectoryWriter::DirectoryWriter(std::string dir, const Scenario& s) : dir_(std::move(dir)), scenario_(s) {
  fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  tmp_ = parent / fmt::format(".{}.tmp-{}", dir_.filename().string(), ::getpid());
  std::error_code ec;
  fs::remove_all(tmp_, ec);
  fs::create_directories(tmp_, ec);
  if (ec) throw InputError(dir_.string(), 0, "", "cannot create the output directory: " + ec.message());
}

DirectoryWriter::~DirectoryWriter() {
  if (csv_) std::fclose(csv_);
  if (json_) std::fclose(json_);
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
}

void DirectoryWriter::begin(const CohortInfo& info) {
  info_ = info;
  stats_.assign(info.statistics.size(), {});
  for (size_t i = 0; i < info.statistics.size(); ++i) stats_[i].resize(info.statistics[i].items.size());
  csv_ = std::fopen((tmp_ / "timeseries.csv").c_str(), "w");
  json_ = std::fopen((tmp_ / "summary.json").c_str(), "w");
  if (!csv_ || !json_) throw InputError(dir_.string(), 0, "", "cannot write the output files");
  std::string header = "patient,time_day";
  for (const auto& c : info.columns) header += "," + c;
  if (info.observed) header += "," + info.observed_column;
  fmt::print(csv_, "{}\n", header);
  json head = {{"scenario", scenario_.name},
               {"scenario_file", scenario_.file},
               {"agent", scenario_.agent.id},
               {"solver", info.solver},
               {"patients_requested", scenario_.simulation.patients},
               {"variability", scenario_.simulation.variability},
               {"seed", scenario_.simulation.seed},
               {"units",
                {{"time", "day"}, {"concentration", "ug/mL"}, {"auc", "ug*day/mL"}, {"dose", "mg"},
                 {"parameters", "engine units: day, L, nmol, nM (see docs/model.md)"}}}};
  std::string s = head.dump(1);
  s.pop_back();  // keep the object open for the patient list
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  fmt::print(json_, "{},\n \"results\": [\n", s);
}

void DirectoryWriter::patient(const PatientRecord& r) {
  const size_t cols = info_.columns.size() + (info_.observed ? 1 : 0);
  if (r.ok) {
    const size_t rows = cols ? r.series.size() / cols : 0;
    std::string buf;
    for (size_t i = 0; i < rows; ++i) {
      buf += fmt::format("{},{:.10g}", r.index, info_.times[i]);
      for (size_t k = 0; k < cols; ++k) fmt::format_to(std::back_inserter(buf), ",{:.8g}", r.series[i * cols + k]);
      buf += '\n';
    }
    std::fputs(buf.c_str(), csv_);
  } else {
    ++failed_;
  }
  json p = {{"patient", r.index}, {"status", r.ok ? "ok" : "failed"}};
  if (r.ok) p["solver"] = r.solver;
  if (!r.ok) {
    p["error"] = r.error;
    p["error_time_day"] = r.error_time_day;
  }
  json params = json::object();
  for (size_t i = 0; i < r.params.size() && i < info_.parameters.size(); ++i) params[info_.parameters[i]] = r.params[i];
  p["parameters"] = params;
  if (!r.eta.empty()) {
    json eta = json::object();
    for (size_t i = 0; i < r.eta.size(); ++i) eta[info_.random_effects[i]] = r.eta[i];
    p["random_effects"] = eta;
  }
  if (r.ok) {
    // Each observer's table: a list of rows, or one object for a single-row table.
    for (const Table& t : r.tables) {
      const auto& columns = t.schema().columns;
      auto row = [&](size_t i) {
        json o = json::object();
        for (size_t k = 0; k < columns.size(); ++k) o[columns[k]] = number_or_null(t.values()[i * columns.size() + k]);
        return o;
      };
      if (t.schema().single_row) {
        p[t.schema().name] = t.rows() > 0 ? row(0) : json(nullptr);
      } else {
        json rows = json::array();
        for (size_t i = 0; i < t.rows(); ++i) rows.push_back(row(i));
        p[t.schema().name] = rows;
      }
    }
    for (size_t s = 0; s < info_.statistics.size(); ++s) {
      const CohortStatistic& st = info_.statistics[s];
      const Table& t = r.table(st.table);
      if (t.rows() <= st.row) continue;
      for (size_t k = 0; k < st.items.size(); ++k) stats_[s][k].push_back(t.at(st.row, st.items[k].column));
    }
  }
  fmt::print(json_, "{}  {}", written_ ? ",\n" : "", p.dump());
  ++written_;
}

void DirectoryWriter::end() {
  std::string stats;
  for (size_t s = 0; s < info_.statistics.size(); ++s) {
    json cohort = json::object();
    for (size_t k = 0; k < info_.statistics[s].items.size(); ++k)
      cohort[info_.statistics[s].items[k].column] = spread(stats_[s][k]);
    stats += fmt::format(" \"{}\": {},\n", info_.statistics[s].key, cohort.dump());
  }
  fmt::print(json_, "\n ],\n{} \"patients\": {},\n \"failed\": {}\n}}\n", stats, written_, failed_);
  const bool ok = std::fflush(csv_) == 0 && std::fflush(json_) == 0;
  std::fclose(csv_);
  std::fclose(json_);
  csv_ = json_ = nullptr;
  if (!ok) throw InputError(dir_.string(), 0, "", "writing the output files failed (disk full?)");
}

std::string DirectoryWriter::statistics_summary() const {
  std::string out;
  for (size_t s = 0; s < info_.statistics.size(); ++s) {
    const CohortStatistic& st = info_.statistics[s];
    const auto& values = stats_[s];
    if (values.empty() || values[0].empty()) continue;
    if (values[0].size() == 1) {
      std::vector<std::string> parts;
      for (size_t k = 0; k < st.items.size(); ++k)
        parts.push_back(fmt::format("{} {:.4g} {}", st.items[k].label, values[k][0], st.items[k].unit));
      out += fmt::format("{}: {}\n", st.title, fmt::join(parts, ", "));
      continue;
    }
    out += fmt::format("{}, median [5th - 95th percentile] over {} patients:\n", st.title, values[0].size());
    for (size_t k = 0; k < st.items.size(); ++k)
      out += fmt::format("  {:<8} {:9.4g} {}  [{:.4g} - {:.4g}]\n", st.items[k].label, percentile(values[k], 0.5),
                         st.items[k].unit, percentile(values[k], 0.05), percentile(values[k], 0.95));
  }
  return out;
}

void DirectoryWriter::commit() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw InputError(dir_.string(), 0, "", "cannot create the output directory: " + ec.message());
  for (const char* f : {"timeseries.csv", "summary.json"}) {
    fs::rename(tmp_ / f, dir_ / f, ec);
    if (ec) throw InputError(dir_.string(), 0, "", fmt::format("cannot move {} into place: {}", f, ec.message()));
  }
  fs::remove_all(tmp_, ec);
  committed_ = true;
}

}  // namespace icsim
