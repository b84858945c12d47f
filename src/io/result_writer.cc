#include "io/result_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <system_error>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "icsim/error.h"
#include "icsim/icsim.h"
#include "io/number_format.h"
#include "io/scenario_writer.h"
#include "trial/survival.h"

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

constexpr size_t kMaxStatisticRows = 1000;
// summary.json lists the rows of summary tables (e.g. each patient's response) for
// the first patients only; patients.csv has them all.
constexpr long kMaxSummaryPatients = 10000;

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

namespace {

// DIR as given, without trailing separators (`-o out/` is `out`); "." and ".." are
// made absolute so that the directory has a name and a parent.
fs::path output_path(const std::string& given) {
  std::string s = given;
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  if (s.empty()) throw InputError("-o", 0, "", "the output directory is empty");
  fs::path p(s);
  const std::string name = p.filename().string();
  if (name == "." || name == "..") {
    std::error_code ec;
    p = fs::absolute(p, ec).lexically_normal();
    std::string a = p.string();
    while (a.size() > 1 && a.back() == '/') a.pop_back();
    p = a;
  }
  if (p == p.root_path()) throw InputError(given, 0, "", "cannot use the root directory as the output directory");
  std::error_code ec;
  if (fs::is_symlink(p, ec)) {  // replace the directory it points to, not the link
    const fs::path target = fs::canonical(p, ec);
    if (!ec) p = target;
  }
  // The current directory, or one holding it, cannot be swapped out from under us.
  const fs::path cwd = fs::current_path(ec);
  if (!ec && fs::exists(p)) {
    const fs::path canon = fs::canonical(p, ec);
    if (!ec) {
      const auto [end, _] = std::mismatch(canon.begin(), canon.end(), cwd.begin(), cwd.end());
      if (end == canon.end())
        throw InputError(given, 0, "",
                         "cannot use the current directory (or one holding it) as the output directory: a run "
                         "replaces its output directory as a whole; give a new directory, e.g. -o results");
    }
  }
  return p;
}

// The names icsim writes into DIR; an existing DIR may be replaced only when it holds
// nothing else (besides these, the files its summary.json lists), so that replacing
// it never deletes a user's file.
void check_replaceable(const fs::path& dir, const std::string& shown) {
  std::vector<std::string> ours = {"timeseries.csv", "patients.csv", "intervals.csv", "samples.csv",
                                   "windows.csv",    "summary.json", "scenario.yaml"};
  {
    std::ifstream in(dir / "summary.json");
    if (in) {
      const json j = json::parse(in, nullptr, false);
      if (j.is_object() && j.contains("files") && j["files"].is_array())
        for (const auto& f : j["files"])
          if (f.is_string()) ours.push_back(f.get<std::string>());
    }
  }
  std::vector<std::string> foreign;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    std::error_code ec2;
    if (!e.is_regular_file(ec2) || std::find(ours.begin(), ours.end(), name) == ours.end())
      foreign.push_back(e.is_directory(ec2) ? name + "/" : name);
  }
  if (ec) throw InputError(shown, 0, "", "cannot read the output directory: " + ec.message());
  if (foreign.empty()) return;
  std::sort(foreign.begin(), foreign.end());
  const size_t n = foreign.size();
  if (n > 3) foreign.resize(3);
  throw InputError(shown, 0, "",
                   fmt::format("the output directory holds {} that icsim did not write ({}{}); a run replaces its "
                               "output directory as a whole, so give a new or empty directory, or move them",
                               n == 1 ? "a file" : fmt::format("{} files", n), fmt::join(foreign, ", "),
                               n > 3 ? ", ..." : ""));
}

bool process_gone(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

// Temporaries beside DIR that a killed run left: ".NAME.tmp-PID-XXXXXXXX" (a run
// being written) and ".NAME.old-PID-XXXXXXXX" (a replaced DIR being removed), whose
// process no longer exists. (Process ids are of this machine: a directory shared
// over the network with a run on another machine is not safe anyway.)
void remove_stale_temporaries(const fs::path& parent, const std::string& name) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string f = e.path().filename().string();
    for (const char* kind : {".tmp-", ".old-"}) {
      const std::string prefix = "." + name + kind;
      if (f.size() <= prefix.size() || f.compare(0, prefix.size(), prefix) != 0) continue;
      long pid = 0;
      const char* first = f.data() + prefix.size();
      const auto r = std::from_chars(first, f.data() + f.size(), pid);
      if (r.ptr == first || (r.ptr != f.data() + f.size() && *r.ptr != '-')) continue;
      std::error_code ec2;
      if (process_gone(pid)) fs::remove_all(e.path(), ec2);
    }
  }
}

// A fresh sibling of DIR named ".NAME.KIND-PID-RANDOM", created by mkdir (which
// fails rather than follows an existing name), so its name cannot be guessed and
// taken over in a shared parent.
fs::path fresh_sibling(const fs::path& parent, const std::string& name, const char* kind, bool create) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path p = parent / fmt::format(".{}.{}-{}-{:08x}", name, kind, ::getpid(), rd());
    if (!create) {
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(p, ec))) return p;
      continue;
    }
    if (::mkdir(p.c_str(), 0777) == 0) return p;
    if (errno != EEXIST) return {};
  }
  return {};
}

}  // namespace

DirectoryWriter::DirectoryWriter(std::string dir, const Scenario& s, std::vector<std::string> outputs)
    : shown_(dir), scenario_(s), outputs_(std::move(outputs)) {
  // Everything about DIR that would stop the run is found here, before simulating.
  dir_ = output_path(dir);
  std::error_code ec;
  const fs::file_status st = fs::status(dir_, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st))
      throw InputError(shown_, 0, "", "exists and is not a directory: give a directory to write the results into");
    check_replaceable(dir_, shown_);
  }
  const fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw InputError(shown_, 0, "", "cannot create the output directory: " + ec.message());
  remove_stale_temporaries(parent, dir_.filename().string());
  tmp_ = fresh_sibling(parent, dir_.filename().string(), "tmp", true);
  if (tmp_.empty())
    throw InputError(shown_, 0, "", fmt::format("cannot create the output directory: {}", std::strerror(errno)));
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
  out.insert(out.end(), extra_files_.begin(), extra_files_.end());
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
  // Refuse, before simulating, a run whose files would not fit on an ordinary disk.
  {
    const double patients = static_cast<double>(scenario_.simulation.patients);
    const double series_columns = static_cast<double>(info.columns.size() + (info.observed ? 1 : 0) + 2);
    const double series = wanted("timeseries") ? static_cast<double>(info.times.size()) * series_columns : 0.0;
    // About 8 bytes a field in timeseries.csv (measured: 7); patients.csv and
    // intervals.csv are small beside it.
    const double bytes = patients * (series * 8.0 + 100.0 * 12.0 + static_cast<double>(info.doses_planned) * 120.0);
    if (bytes > kMaxOutputBytes)
      throw InputError(scenario_.file, 0, "simulation",
                       fmt::format("the results would take about {:.3g} GB on disk ({:g} patients x {} output times "
                                   "x {:g} columns in timeseries.csv); the limit is {:g} GB: lower "
                                   "simulation.patients or until, raise output_every, or leave timeseries.csv out "
                                   "(--no-timeseries)",
                                   bytes / 1e9, patients, info.times.size(), series_columns, kMaxOutputBytes / 1e9));
  }
  auto open = [&](const std::string& name, int table, const std::string& head) {
    File f{name, std::fopen((tmp_ / name).c_str(), "w"), table};
    if (!f.f) throw InputError(shown_, 0, "", "cannot write " + name);
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
        if (!r.ok || t >= r.tables.size() || r.tables[t].rows() == 0) continue;
        const double v = r.tables[t].values()[k];
        if (const char* level = info_.tables[t]->level(k, v)) buf += level;
        else put(buf, v, 10);
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
        const double v = table.values()[row * n + k];
        if (const char* level = table.schema().level(k, v)) buf += level;
        else put(buf, v, 10);
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
  summary_rows_.resize(info_.tables.size());
  level_counts_.resize(info_.tables.size());
  event_times_.resize(info_.tables.size());
  event_censored_.resize(info_.tables.size());
  for (size_t t = 0; t < info_.tables.size() && t < r.tables.size(); ++t) {
    const TableSchema& schema = *info_.tables[t];
    if (!schema.in_summary || r.tables[t].rows() == 0) continue;
    const std::vector<double>& v = r.tables[t].values();
    event_times_[t].resize(schema.time_to_event.size());
    event_censored_[t].resize(schema.time_to_event.size());
    for (size_t e = 0; e < schema.time_to_event.size(); ++e) {
      const double time = r.tables[t].at(0, schema.time_to_event[e].first);
      if (!std::isfinite(time)) continue;  // no time to count (e.g. no assessment)
      event_times_[t][e].push_back(time);
      event_censored_[t][e].push_back(r.tables[t].at(0, schema.time_to_event[e].second) != 0.0);
    }
    if (static_cast<long>(summary_rows_[t].size()) < kMaxSummaryPatients) {
      std::vector<double> row = {static_cast<double>(r.index)};
      row.insert(row.end(), v.begin(), v.begin() + static_cast<long>(schema.columns.size()));
      summary_rows_[t].push_back(std::move(row));
    }
    level_counts_[t].resize(schema.columns.size());
    for (size_t k = 0; k < schema.columns.size(); ++k) {
      if (!schema.level(k, v[k])) continue;
      level_counts_[t][k].resize(schema.levels[k].size());
      ++level_counts_[t][k][static_cast<size_t>(v[k])];
    }
  }
  const long work[4] = {r.steps, r.rejected_steps, r.rhs_evaluations, r.jacobian_evaluations};
  for (int k = 0; k < 4; ++k) work_[k].push_back(static_cast<double>(work[k]));
  for (size_t s = 0; s < info_.statistics.size(); ++s) {
    const CohortStatistic& st = info_.statistics[s];
    const Table& t = r.table(st.table);
    const bool every = st.row == CohortStatistic::kEveryRow;
    // Per-row statistics stop at kMaxStatisticRows rows (a regimen of 100,000 doses
    // would otherwise hold every interval of every patient); the CSV has them all.
    const size_t first = every ? 0 : st.row,
                 last = every ? std::min(t.rows(), kMaxStatisticRows) : std::min(t.rows(), st.row + 1);
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
  for (size_t t = 0; t < summary_rows_.size(); ++t) {
    const TableSchema& schema = *info_.tables[t];
    if (!schema.in_summary) continue;
    json patients = json::array();
    for (const auto& row : summary_rows_[t]) {
      json o = {{"patient", static_cast<long>(row[0])}};
      for (size_t k = 0; k < schema.columns.size(); ++k) {
        const double v = row[k + 1];
        if (const char* level = schema.level(k, v)) o[schema.columns[k]] = level;
        else o[schema.columns[k]] = std::isfinite(v) ? json(v) : json(nullptr);
      }
      patients.push_back(std::move(o));
    }
    json counts = json::object();
    for (size_t k = 0; k < level_counts_[t].size(); ++k) {
      if (level_counts_[t][k].empty()) continue;
      json c = json::object();
      for (size_t l = 0; l < schema.levels[k].size(); ++l) c[schema.levels[k][l]] = level_counts_[t][k][l];
      counts[schema.columns[k]] = c;
    }
    s[schema.name] = {{"patients_listed", patients.size()}, {"counts", counts}};
    if (t < event_times_.size() && !event_times_[t].empty()) {
      json km = json::object();
      for (size_t e = 0; e < schema.time_to_event.size(); ++e) {
        const KaplanMeier k = kaplan_meier(event_times_[t][e], event_censored_[t][e]);
        const double median = k.median();
        km[schema.time_to_event[e].first] = {
            {"median_day", std::isfinite(median) ? json(median) : json(nullptr)},
            {"subjects", k.subjects},
            {"events", k.events},
            {"survival_at_last_time", k.survival.empty() ? 1.0 : k.survival.back()}};
      }
      s[schema.name]["kaplan_meier"] = km;
    }
    s[schema.name]["patients"] = patients;
  }
  bool ok = true;
  auto write = [&](const char* name, const std::string& text) {
    std::FILE* f = std::fopen((tmp_ / name).c_str(), "w");
    ok = f && std::fputs(text.c_str(), f) >= 0 && ok;
    if (f) ok = std::fclose(f) == 0 && ok;
  };
  // Names and ids are the user's bytes: invalid UTF-8 is written as U+FFFD rather
  // than failing the run after it has finished.
  write("summary.json", s.dump(1, ' ', false, json::error_handler_t::replace) + "\n");
  write("scenario.yaml", resolved_scenario_yaml(scenario_));
  for (auto& file : files_) {
    ok = std::fflush(file.f) == 0 && ok;
    ok = std::fclose(file.f) == 0 && ok;
    file.f = nullptr;
  }
  if (!ok) throw InputError(shown_, 0, "", "writing the output files failed (disk full?)");
}

std::string DirectoryWriter::statistics_summary() const {
  std::string out;
  for (size_t t = 0; t < level_counts_.size(); ++t) {
    const TableSchema& schema = *info_.tables[t];
    for (size_t k = 0; k < level_counts_[t].size(); ++k) {
      const std::vector<long>& counts = level_counts_[t][k];
      if (counts.empty()) continue;
      long total = 0, headline = 0;
      bool at_or_above = !schema.headline.empty();
      std::vector<std::string> parts;
      for (size_t l = 0; l < counts.size(); ++l) {
        total += counts[l];
        parts.push_back(fmt::format("{} {}", schema.levels[k][l], counts[l]));
        if (at_or_above) headline += counts[l];
        if (schema.levels[k][l] == schema.headline) at_or_above = false;
      }
      out += fmt::format("{} of {} patients: {}", schema.columns[k], total, fmt::join(parts, ", "));
      if (!schema.headline.empty() && total > 0)
        out += fmt::format("; {} or better {} ({:.1f} %)", schema.headline, headline, 100.0 * headline / total);
      out += "\n";
    }
  }
  for (size_t t = 0; t < event_times_.size(); ++t) {
    const TableSchema& schema = *info_.tables[t];
    for (size_t e = 0; e < event_times_[t].size(); ++e) {
      if (event_times_[t][e].empty()) continue;
      const KaplanMeier k = kaplan_meier(event_times_[t][e], event_censored_[t][e]);
      const double median = k.median();
      out += fmt::format("{}: Kaplan-Meier median {}, {} event(s) among {} patient(s)\n", schema.time_to_event[e].first,
                         std::isfinite(median) ? fmt::format("{:g} d", median) : std::string("not reached"), k.events,
                         k.subjects);
    }
  }
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

void DirectoryWriter::add_file(const std::string& name, const std::string& text) {
  const fs::path path = tmp_ / name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  bool ok = f != nullptr;
  if (f) {
    ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    ok = std::fclose(f) == 0 && ok;
  }
  if (!ok) throw InputError(shown_, 0, "", fmt::format("cannot write {}: {}", name, std::strerror(errno)));
  extra_files_.push_back(name);
}

void DirectoryWriter::commit() {
  // The finished directory replaces DIR as a whole, so DIR holds one run's files,
  // never one run's CSV with another's JSON. Another run may swap its own DIR in at
  // the same time: then the last one in wins, whole.
  const fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  const std::string name = dir_.filename().string();
  auto fail = [&](const char* what) {
    throw InputError(shown_, 0, "", fmt::format("cannot move the results into place ({}): {}", what,
                                                std::strerror(errno)));
  };
  for (int attempt = 0;; ++attempt) {
    if (attempt == 100) fail("other runs kept replacing it");
    // DIR absent (or an empty directory): one rename.
    if (::rename(tmp_.c_str(), dir_.c_str()) == 0) break;
    if (errno != ENOTEMPTY && errno != EEXIST) fail("rename");
#ifdef RENAME_EXCHANGE
    // Swap the two in one step: DIR is never missing; tmp_ then holds the old DIR.
    if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) == 0) {
      std::error_code ec;
      fs::remove_all(tmp_, ec);  // a crash here leaves the old results in tmp_: the next run removes them
      break;
    }
    if (errno == ENOENT) continue;  // DIR went away meanwhile: a plain rename again
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) fail("exchange");
#endif
    // No atomic exchange on this file system: move DIR aside, then the new one in. A
    // crash between the two renames leaves no DIR, the old results in
    // .NAME.old-PID-XXXXXXXX and the new ones in .NAME.tmp-PID-XXXXXXXX beside it (both
    // whole, neither mixed); the next run into DIR removes both.
    const fs::path aside = fresh_sibling(parent, name, "old", false);
    if (aside.empty()) fail("no name for the old directory");
    if (::rename(dir_.c_str(), aside.c_str()) != 0) {
      if (errno == ENOENT) continue;
      fail("moving the old directory aside");
    }
    const bool moved = ::rename(tmp_.c_str(), dir_.c_str()) == 0;
    const int err = errno;
    std::error_code ec;
    fs::remove_all(aside, ec);
    if (moved) break;
    errno = err;
    if (err != ENOTEMPTY && err != EEXIST) fail("rename");
  }
  committed_ = true;
}

}  // namespace icsim
