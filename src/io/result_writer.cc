#include "io/result_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "icsim/error.h"
#include "icsim/icsim.h"
#include "io/number_format.h"
#include "io/scenario_writer.h"

namespace icsim {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Percentile of sorted values by linear interpolation between order statistics (type 7).
double percentile(const std::vector<double>& v, double q) {
  const double pos = q * (v.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  return i + 1 < v.size() ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

json spread(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  return {{"median", percentile(v, 0.5)}, {"p5", percentile(v, 0.05)}, {"p95", percentile(v, 0.95)}};
}

// A number as printf's %.<precision>g writes it, or the shortest text that reads
// back exactly when precision is 0; nothing for NaN, so a missing value is an empty
// CSV field.
void put(std::string& out, double v, int precision) {
  if (std::isnan(v)) return;
  if (precision > 0) {
    append_g(out, v, precision);
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put(std::string& out, long v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// A CSV field, quoted when it holds a comma, quote or line break.
void put_text(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string header(const std::vector<std::string>& columns) {
  std::string h;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) h += ',';
    put_text(h, columns[i]);
  }
  return h + '\n';
}

}  // namespace

DirectoryWriter::DirectoryWriter(std::string dir, const Scenario& s, std::vector<std::string> outputs)
    : dir_(std::move(dir)), scenario_(s), outputs_(std::move(outputs)) {
  fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  tmp_ = parent / fmt::format(".{}.tmp-{}", dir_.filename().string(), ::getpid());
  std::error_code ec;
  fs::remove_all(tmp_, ec);
  fs::create_directories(tmp_, ec);
  if (ec) throw InputError(dir_.string(), 0, "", "cannot create the output directory: " + ec.message());
}

DirectoryWriter::~DirectoryWriter() {
  for (auto& f : files_)
    if (f.f) std::fclose(f.f);
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
}

// outputs_ lists the files wanted, or (entries starting with '-') the files not
// wanted; empty: every file.
bool DirectoryWriter::wanted(const std::string& what) const {
  if (outputs_.empty()) return true;
  if (std::find(outputs_.begin(), outputs_.end(), "-" + what) != outputs_.end()) return false;
  const bool excluding = outputs_.front().rfind('-', 0) == 0;
  return excluding || std::find(outputs_.begin(), outputs_.end(), what) != outputs_.end();
}

std::vector<std::string> DirectoryWriter::files() const {
  std::vector<std::string> out;
  for (const auto& f : files_) out.push_back(f.name);
  out.push_back("scenario.yaml");
  out.push_back("summary.json");
  return out;
}

void DirectoryWriter::begin(const CohortInfo& info) {
  info_ = info;
  std::vector<std::string> known = {"timeseries", "patients"};
  for (const auto& t : info.tables)
    if (!t->single_row) known.push_back(t->name);
  for (const auto& o : outputs_)
    if (std::find(known.begin(), known.end(), o.rfind('-', 0) == 0 ? o.substr(1) : o) == known.end())
      throw InputError("--outputs", 0, o, fmt::format("unknown output (known: {})", fmt::join(known, ", ")));
  auto open = [&](const std::string& name, int table, const std::string& head) {
    File f{name, std::fopen((tmp_ / name).c_str(), "w"), table};
    if (!f.f) throw InputError(dir_.string(), 0, "", "cannot write " + name);
    std::fputs(head.c_str(), f.f);
    files_.push_back(f);
    return static_cast<int>(files_.size()) - 1;
  };
  if (wanted("timeseries")) {
    std::vector<std::string> cols = {"patient", "time_day"};
    cols.insert(cols.end(), info.columns.begin(), info.columns.end());
    if (info.observed) cols.push_back(info.observed_column);
    timeseries_ = open("timeseries.csv", -1, header(cols));
  }
  if (wanted("patients")) {
    std::vector<std::string> cols = {"patient",       "status",          "solver",
                                     "solver_fallback", "steps",         "rejected_steps",
                                     "rhs_evaluations", "jacobian_evaluations", "error_time_day",
                                     "error"};
    for (const auto& [name, value] : info.covariates) cols.push_back("covariate." + name);
    cols.insert(cols.end(), info.parameters.begin(), info.parameters.end());
    for (const auto& r : info.random_effects) cols.push_back("eta." + r);
    for (const auto& t : info.tables)
      if (t->single_row)
        for (const auto& c : t->columns) cols.push_back(t->name + "." + c);
    patients_ = open("patients.csv", -1, header(cols));
  }
  for (size_t i = 0; i < info.tables.size(); ++i) {
    const TableSchema& t = *info.tables[i];
    if (t.single_row || !wanted(t.name)) continue;
    std::vector<std::string> cols = {"patient", t.row_label};
    cols.insert(cols.end(), t.columns.begin(), t.columns.end());
    open(t.name + ".csv", static_cast<int>(i), header(cols));
  }
  stats_.assign(info.statistics.size(), {});
  covariates_text_.clear();
  for (const auto& [name, value] : info.covariates) {
    covariates_text_ += ',';
    put_text(covariates_text_, value);
  }
  times_text_.clear();
  for (double t : info.times) {
    std::string text;
    put(text, t, 10);
    times_text_.push_back(std::move(text));
  }
}

void DirectoryWriter::encode(const PatientRecord& r, std::vector<std::string>& out) const {
  out.resize(files_.size());
  for (auto& s : out) s.clear();
  if (timeseries_ >= 0 && r.ok) {
    std::string& buf = out[timeseries_];
    const size_t cols = info_.columns.size() + (info_.observed ? 1 : 0);
    const size_t rows = cols ? r.series.size() / cols : 0;
    buf.reserve(rows * (cols + 2) * 12);
    std::string index;
    put(index, r.index);
    index += ',';
    for (size_t i = 0; i < rows; ++i) {
      buf += index;
      buf += times_text_[i];  // the same for every patient: formatted once
      for (size_t k = 0; k < cols; ++k) {
        buf += ',';
        put(buf, r.series[i * cols + k], 8);
      }
      buf += '\n';
    }
  }
  if (patients_ >= 0) {
    std::string& buf = out[patients_];
    put(buf, r.index);
    buf += r.ok ? ",ok," : ",failed,";
    buf += r.solver;
    buf += r.solver_fallback ? ",1," : ",0,";
    for (long w : {r.steps, r.rejected_steps, r.rhs_evaluations, r.jacobian_evaluations}) {
      put(buf, w);
      buf += ',';
    }
    if (!r.ok) put(buf, r.error_time_day, 0);
    buf += ',';
    put_text(buf, r.error);
    buf += covariates_text_;
    for (size_t i = 0; i < info_.parameters.size(); ++i) {
      buf += ',';
      if (i < r.params.size()) put(buf, r.params[i], 0);
    }
    for (size_t i = 0; i < info_.random_effects.size(); ++i) {
      buf += ',';
      if (i < r.eta.size()) put(buf, r.eta[i], 0);
    }
    for (size_t t = 0; t < info_.tables.size(); ++t) {
      if (!info_.tables[t]->single_row) continue;
      const size_t n = info_.tables[t]->columns.size();
      for (size_t k = 0; k < n; ++k) {
        buf += ',';
        if (r.ok && t < r.tables.size() && r.tables[t].rows() > 0) put(buf, r.tables[t].values()[k], 10);
      }
    }
    buf += '\n';
  }
  for (size_t f = 0; f < files_.size(); ++f) {
    const int t = files_[f].table;
    if (t < 0 || !r.ok || static_cast<size_t>(t) >= r.tables.size()) continue;
    const Table& table = r.tables[t];
    const size_t n = table.schema().columns.size();
    std::string& buf = out[f];
    for (size_t row = 0; row < table.rows(); ++row) {
      put(buf, r.index);
      buf += ',';
      put(buf, static_cast<long>(row));
      for (size_t k = 0; k < n; ++k) {
        buf += ',';
        put(buf, table.values()[row * n + k], 10);
      }
      buf += '\n';
    }
  }
}

void DirectoryWriter::patient(const PatientRecord& r) {
  std::vector<std::string> encoded;
  encode(r, encoded);
  deliver(r, encoded);
}

void DirectoryWriter::deliver(const PatientRecord& r, const std::vector<std::string>& encoded) {
  for (size_t f = 0; f < files_.size() && f < encoded.size(); ++f)
    if (!encoded[f].empty()) std::fwrite(encoded[f].data(), 1, encoded[f].size(), files_[f].f);
  tally(r);
}

void DirectoryWriter::tally(const PatientRecord& r) {
  ++written_;
  if (!r.ok) {
    ++failed_;
    return;
  }
  ++solvers_[r.solver];
  fallbacks_ += r.solver_fallback;
  const long work[4] = {r.steps, r.rejected_steps, r.rhs_evaluations, r.jacobian_evaluations};
  for (int k = 0; k < 4; ++k) work_[k].push_back(static_cast<double>(work[k]));
  for (size_t s = 0; s < info_.statistics.size(); ++s) {
    const CohortStatistic& st = info_.statistics[s];
    const Table& t = r.table(st.table);
    const bool every = st.row == CohortStatistic::kEveryRow;
    const size_t first = every ? 0 : st.row, last = every ? t.rows() : std::min(t.rows(), st.row + 1);
    auto& rows = stats_[s];
    for (size_t row = first; row < last; ++row) {
      const size_t slot = every ? row : 0;
      if (rows.size() <= slot) rows.resize(slot + 1, std::vector<std::vector<double>>(st.items.size()));
      for (size_t k = 0; k < st.items.size(); ++k) rows[slot][k].push_back(t.at(row, st.items[k].column));
    }
  }
}

void DirectoryWriter::end() {
  json s = {{"icsim_version", version()},
            {"scenario", scenario_.name},
            {"scenario_file", scenario_.file},
            {"agent", scenario_.agent.id},
            {"seed", scenario_.simulation.seed},
            {"patients_requested", scenario_.simulation.patients},
            {"variability", scenario_.simulation.variability},
            {"residual_error", scenario_.simulation.residual_error},
            {"solver",
             {{"requested", to_string(scenario_.simulation.solver.kind)},
              {"typical_patient", info_.solver},
              {"rtol", scenario_.simulation.solver.rtol},
              {"atol_nmol", scenario_.simulation.solver.atol},
              {"max_steps", scenario_.simulation.solver.max_steps}}},
            {"units",
             {{"time", "day"}, {"concentration", "ug/mL"}, {"auc", "ug*day/mL"}, {"dose", "mg"},
              {"parameters", "engine units: day, L, nmol, nM (include/icsim/units.h)"}}},
            {"files", files()},
            {"patients", written_},
            {"failed", failed_},
            {"doses", {{"planned", info_.doses_planned}, {"after_until", info_.doses_after_until}}},
            {"warnings", info_.warnings}};
  json solvers = json::object();
  for (const auto& [name, n] : solvers_) solvers[name] = n;
  json work = {{"patients_by_solver", solvers}, {"explicit_gave_up", fallbacks_}};
  const char* kinds[4] = {"steps", "rejected_steps", "rhs_evaluations", "jacobian_evaluations"};
  for (int k = 0; k < 4; ++k) {
    work[std::string(kinds[k]) + "_per_patient"] = spread(work_[k]);
    work[std::string(kinds[k]) + "_total"] = std::accumulate(work_[k].begin(), work_[k].end(), 0.0);
  }
  s["solver_work"] = work;
  for (size_t i = 0; i < info_.statistics.size(); ++i) {
    const CohortStatistic& st = info_.statistics[i];
    std::string label = "row";
    for (const auto& t : info_.tables)
      if (t->name == st.table) label = t->row_label;
    auto stat = [&](const std::vector<std::vector<double>>& items, size_t row) {
      json o = json::object();
      if (st.row == CohortStatistic::kEveryRow) o[label] = row;
      for (size_t k = 0; k < st.items.size(); ++k) o[st.items[k].column] = spread(items[k]);
      return o;
    };
    if (st.row == CohortStatistic::kEveryRow) {
      json rows = json::array();
      for (size_t row = 0; row < stats_[i].size(); ++row) rows.push_back(stat(stats_[i][row], row));
      s[st.key] = rows;
    } else {
      s[st.key] = stats_[i].empty() ? json(nullptr) : stat(stats_[i][0], 0);
    }
  }
  bool ok = true;
  auto write = [&](const char* name, const std::string& text) {
    std::FILE* f = std::fopen((tmp_ / name).c_str(), "w");
    ok = f && std::fputs(text.c_str(), f) >= 0 && ok;
    if (f) ok = std::fclose(f) == 0 && ok;
  };
  write("summary.json", s.dump(1) + "\n");
  write("scenario.yaml", resolved_scenario_yaml(scenario_));
  for (auto& file : files_) {
    ok = std::fflush(file.f) == 0 && ok;
    ok = std::fclose(file.f) == 0 && ok;
    file.f = nullptr;
  }
  if (!ok) throw InputError(dir_.string(), 0, "", "writing the output files failed (disk full?)");
}

std::string DirectoryWriter::statistics_summary() const {
  std::string out;
  for (size_t s = 0; s < info_.statistics.size(); ++s) {
    const CohortStatistic& st = info_.statistics[s];
    if (st.title.empty() || stats_[s].empty() || stats_[s][0].empty() || stats_[s][0][0].empty()) continue;
    const auto& values = stats_[s][0];
    if (values[0].size() == 1) {
      std::vector<std::string> parts;
      for (size_t k = 0; k < st.items.size(); ++k)
        parts.push_back(std::isfinite(values[k][0])
                            ? fmt::format("{} {:.4g} {}", st.items[k].label, values[k][0], st.items[k].unit)
                            : fmt::format("{} none", st.items[k].label));
      out += fmt::format("{}: {}\n", st.title, fmt::join(parts, ", "));
      continue;
    }
    out += fmt::format("{}, median [5th - 95th percentile] over {} patients:\n", st.title, values[0].size());
    for (size_t k = 0; k < st.items.size(); ++k) {
      const json sp = spread(values[k]);
      if (sp.is_null()) continue;
      out += fmt::format("  {:<8} {:9.4g} {}  [{:.4g} - {:.4g}]\n", st.items[k].label, sp["median"].get<double>(),
                         st.items[k].unit, sp["p5"].get<double>(), sp["p95"].get<double>());
    }
  }
  if (!solvers_.empty()) {
    std::vector<std::string> parts;
    for (const auto& [name, n] : solvers_) parts.push_back(fmt::format("{} {}", name, n));
    out += fmt::format("solvers: {}", fmt::join(parts, ", "));
    if (fallbacks_) out += fmt::format(" ({} handed to BDF after the explicit method found them stiff)", fallbacks_);
    out += '\n';
  }
  for (const auto& w : info_.warnings) out += "warning: " + w + "\n";
  return out;
}

void DirectoryWriter::commit() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw InputError(dir_.string(), 0, "", "cannot create the output directory: " + ec.message());
  for (const std::string& f : files()) {
    fs::rename(tmp_ / f, dir_ / f, ec);
    if (ec) throw InputError(dir_.string(), 0, "", fmt::format("cannot move {} into place: {}", f, ec.message()));
  }
  fs::remove_all(tmp_, ec);
  committed_ = true;
}

}  // namespace icsim
