#include "radiation/free_daughters.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "model/model.h"
#include "radiation/label.h"

namespace icsim::radiation {

namespace {

std::string element_of(const std::string& nuclide) { return nuclide.substr(0, nuclide.find('-')); }

double nonpenetrating(const Nuclide& n) {
  double e = 0.0;
  for (Emission k : {Emission::kAlpha, Emission::kBeta, Emission::kElectron})
    if (n.energy_MeV[static_cast<int>(k)]) e += *n.energy_MeV[static_cast<int>(k)];
  return e;
}

Region parse_region(const YamlDoc& doc, const YAML::Node& n, const std::string& key) {
  const std::string r = doc.text(n, key);
  for (int i = 0; i < kRegionCount; ++i)
    if (r == region_name(static_cast<Region>(i))) return static_cast<Region>(i);
  doc.fail(n, key, fmt::format("unknown region '{}' (blood, kidneys, liver or elsewhere)", r));
}

}  // namespace

const char* region_name(Region r) {
  switch (r) {
    case Region::kBlood: return "blood";
    case Region::kKidneys: return "kidneys";
    case Region::kLiver: return "liver";
    case Region::kElsewhere: return "elsewhere";
  }
  return "";
}

int ElementModel::compartment(const std::string& name) const {
  auto it = std::find(compartments.begin(), compartments.end(), name);
  return it == compartments.end() ? -1 : static_cast<int>(it - compartments.begin());
}

FreeDaughterData FreeDaughterData::read_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  reject_duplicate_keys(root, path, "");
  const YamlDoc doc(path);
  doc.check_keys(root, "", {"references", "min_half_life", "release_fraction", "elements"});
  FreeDaughterData d;
  d.file = path;
  if (root["min_half_life"]) {
    doc.require_map(root["min_half_life"], "min_half_life");
    d.min_half_life_day = doc.in_unit(root["min_half_life"]["value"], "min_half_life.value", "day");
  }
  doc.require_map(root["release_fraction"], "release_fraction");
  for (const auto& kv : root["release_fraction"]) {
    const std::string nuclide = kv.first.as<std::string>(), key = "release_fraction." + nuclide;
    // A misspelt nuclide would otherwise leave that nuclide's daughters retained.
    if (!NuclideLibrary::shared().find(nuclide))
      doc.fail(kv.second, key, fmt::format("unknown nuclide '{}' (data/nuclides/nuclides.yaml)", nuclide));
    doc.require_map(kv.second, key);
    doc.check_keys(kv.second, key, {"value", "source"});
    const double f = doc.number(kv.second["value"], key + ".value");
    if (!(f > 0.0 && f <= 1.0)) doc.fail(kv.second["value"], key + ".value", "must be in (0, 1]");
    if (!kv.second["source"]) doc.fail(kv.second, key + ".source", "missing: every value names its source");
    d.release_fraction[nuclide] = f;
  }
  doc.require_map(root["elements"], "elements");
  for (const auto& kv : root["elements"]) {
    ElementModel m;
    m.element = kv.first.as<std::string>();
    const std::string key = "elements." + m.element;
    doc.require_map(kv.second, key);
    doc.check_keys(kv.second, key, {"source", "compartments", "transfers", "note"});
    m.source = doc.text(kv.second["source"], key + ".source");
    doc.require_map(kv.second["compartments"], key + ".compartments");
    for (const auto& c : kv.second["compartments"]) {
      m.compartments.push_back(c.first.as<std::string>());
      m.region.push_back(parse_region(doc, c.second, key + ".compartments." + m.compartments.back()));
    }
    if (m.compartments.empty()) doc.fail(kv.second["compartments"], key + ".compartments", "needs one compartment");
    const YAML::Node& transfers = kv.second["transfers"];
    if (transfers && !transfers.IsSequence()) doc.fail(transfers, key + ".transfers", "must be a list");
    for (size_t i = 0; transfers && i < transfers.size(); ++i) {
      const YAML::Node& t = transfers[i];
      const std::string tkey = fmt::format("{}.transfers[{}]", key, i);
      doc.require_map(t, tkey);
      doc.check_keys(t, tkey, {"from", "to", "rate"});
      ElementModel::Transfer tr;
      for (auto [field, slot] : {std::pair{"from", &tr.from}, std::pair{"to", &tr.to}}) {
        const std::string name = doc.text(t[field], tkey + "." + field);
        *slot = m.compartment(name);
        if (*slot < 0) doc.fail(t[field], tkey + "." + field, fmt::format("unknown compartment '{}'", name));
      }
      if (tr.from == tr.to) doc.fail(t, tkey, "a transfer goes from one compartment to another");
      tr.per_day = doc.in_unit(t["rate"], tkey + ".rate", "1/day");
      if (!(tr.per_day >= 0.0)) doc.fail(t["rate"], tkey + ".rate", "must be >= 0");
      m.transfers.push_back(tr);
    }
    d.elements[m.element] = std::move(m);
  }
  return d;
}

const FreeDaughterData& FreeDaughterData::shared() {
  static const FreeDaughterData d = read_file(data_directory() + "/dosimetry/free_daughters.yaml");
  return d;
}

double FreeChain::chain_MeV() const {
  double e = label_group_MeV;
  for (double g : group_MeV) e += g;
  return e;
}

double FreeChain::in_place_MeV() const {
  double released = 0.0;
  for (double g : group_MeV) released += g;
  return label_group_MeV + (1.0 - release_fraction) * released;
}

FreeChain free_chain(const NuclideLibrary& library, const FreeDaughterData& data, const std::string& nuclide) {
  FreeChain fc;
  fc.parent = nuclide;
  auto f = data.release_fraction.find(nuclide);
  if (f == data.release_fraction.end()) return fc;
  fc.release_fraction = f->second;
  const DecayChain chain(library, nuclide);
  const Eigen::MatrixXd& m = chain.decay_matrix();
  const int n = chain.size();
  const double horizon = 20.0 * chain.member(0).half_life_day;
  // Branching fraction j -> i.
  auto branch = [&](int j, int i) { return chain.member(j).stable ? 0.0 : m(i, j) / chain.member(j).lambda_per_day; };
  std::vector<int> group(n, -2);  // -1: the label's group; k: followed member k; -2: not reached yet
  for (int i = 1; i < n; ++i) {
    const Nuclide& nu = chain.member(i);
    auto model = data.elements.find(element_of(nu.name));
    if (nu.stable || model == data.elements.end() || nu.half_life_day < data.min_half_life_day ||
        nu.half_life_day > horizon)
      continue;
    group[i] = static_cast<int>(fc.followed.size());
    fc.followed.push_back(i);
    fc.model.push_back(&model->second);
  }
  if (fc.followed.empty()) return fc;
  const size_t k_count = fc.followed.size();
  // Decays per label decay (complete decay) and each member's share by group.
  std::vector<double> decays(n, 0.0);
  std::vector<std::vector<double>> share(n, std::vector<double>(k_count + 1, 0.0));  // slot 0: the label's group
  decays[0] = 1.0;
  share[0][0] = 1.0;
  for (int i = 1; i < n; ++i) {
    double inflow = 0.0;
    for (int j = 0; j < i; ++j) inflow += decays[j] * branch(j, i);
    decays[i] = chain.member(i).stable ? 0.0 : inflow;
    if (group[i] >= 0) {
      share[i][static_cast<size_t>(group[i]) + 1] = 1.0;
      continue;
    }
    if (inflow <= 0.0) continue;
    for (int j = 0; j < i; ++j)
      for (size_t g = 0; g <= k_count; ++g) share[i][g] += decays[j] * branch(j, i) * share[j][g] / inflow;
  }
  fc.group_MeV.assign(k_count, 0.0);
  for (int i = 0; i < n; ++i) {
    if (chain.member(i).stable) continue;
    const double e = decays[i] * nonpenetrating(chain.member(i));
    fc.label_group_MeV += e * share[i][0];
    for (size_t k = 0; k < k_count; ++k) fc.group_MeV[k] += e * share[i][k + 1];
  }
  for (int i : fc.followed) fc.decays.push_back(decays[i]);
  // Atoms of each followed member formed per decay of a source member, through
  // members that are not followed.
  auto formed = [&](int source) {
    std::vector<double> z(n, 0.0);
    for (int i = source + 1; i < n; ++i)
      for (int j = source; j < i; ++j) {
        const double w = j == source ? 1.0 : (group[j] >= 0 ? 0.0 : z[j]);
        z[i] += w * branch(j, i);
      }
    std::vector<double> y;
    for (int i : fc.followed) y.push_back(i > source ? z[i] : 0.0);
    return y;
  };
  fc.from_parent = formed(0);
  for (int i : fc.followed) fc.from_member.push_back(formed(i));
  return fc;
}

FreeDaughterKinetics::FreeDaughterKinetics(const NuclideLibrary& library, FreeChain chain) : chain_(std::move(chain)) {
  const DecayChain decay(library, chain_.parent);
  for (size_t k = 0; k < chain_.followed.size(); ++k) {
    lambda_.push_back(decay.member(chain_.followed[k]).lambda_per_day);
    offset_.push_back(size_);
    size_ += static_cast<int>(chain_.model[k]->compartments.size());
  }
  entry_.resize(chain_.followed.size());
  for (size_t j = 0; j < chain_.followed.size(); ++j) {
    const ElementModel& from = *chain_.model[j];
    entry_[j].resize(chain_.followed.size());
    for (size_t k = 0; k < chain_.followed.size(); ++k)
      for (const std::string& c : from.compartments)
        entry_[j][k].push_back(std::max(0, chain_.model[k]->compartment(c)));
  }
}

void FreeDaughterKinetics::rhs(double release_per_day, const double* y, double* dy) const {
  const size_t count = chain_.followed.size();
  for (size_t k = 0; k < count; ++k) {
    const ElementModel& m = *chain_.model[k];
    const int off = offset_[k];
    dy[off] += chain_.release_fraction * release_per_day * chain_.from_parent[k];
    for (size_t c = 0; c < m.compartments.size(); ++c) {
      const double decays = lambda_[k] * y[off + static_cast<int>(c)];
      dy[off + static_cast<int>(c)] -= decays;
      for (size_t d = k + 1; d < count; ++d)
        if (chain_.from_member[k][d] > 0.0) dy[offset_[d] + entry_[k][d][c]] += decays * chain_.from_member[k][d];
    }
    for (const ElementModel::Transfer& t : m.transfers) {
      const double flux = t.per_day * y[off + t.from];
      dy[off + t.from] -= flux;
      dy[off + t.to] += flux;
    }
  }
}

double FreeDaughterKinetics::fastest_rate() const {
  double fastest = 0.0;
  for (size_t k = 0; k < chain_.followed.size(); ++k) {
    const ElementModel& m = *chain_.model[k];
    std::vector<double> out(m.compartments.size(), lambda_[k]);
    for (const ElementModel::Transfer& t : m.transfers) out[static_cast<size_t>(t.from)] += t.per_day;
    fastest = std::max(fastest, *std::max_element(out.begin(), out.end()));
  }
  return fastest;
}

namespace {

constexpr double kHoursPerDay = 24.0;

class FreeDaughters final : public Module {
 public:
  FreeDaughters(ModelBuilder& b, const NuclideLibrary& library, const FreeChain& chain, int labels)
      : kinetics_(library, chain),
        lambda_label_(library.get(chain.parent).lambda_per_day),
        labels_(labels),
        label_mbq_(mbq_per_nmol(lambda_label_) * labels) {
    const FreeChain& fc = kinetics_.chain();
    const DecayChain decay(library, fc.parent);
    for (size_t k = 0; k < fc.followed.size(); ++k)
      for (const std::string& c : fc.model[k]->compartments) {
        const int s = b.add_state("label.free." + decay.member(fc.followed[k]).name + "." + c);
        if (first_ < 0) first_ = s;
        if (s != first_ + kinetics_.offset(k) + fc.model[k]->compartment(c))
          throw std::logic_error("free_daughters: the free daughters' states must be contiguous");
      }
    for (size_t k = 0; k < fc.followed.size(); ++k) {
      const std::string member = decay.member(fc.followed[k]).name;
      const ElementModel& m = *fc.model[k];
      mbq_per_nmol_.push_back(mbq_per_nmol(kinetics_.lambda_per_day(k)));
      tia_.emplace_back(kRegionCount, -1);
      const std::string tag = member_tag(member);
      for (int r = 0; r < kRegionCount; ++r) {
        if (std::find(m.region.begin(), m.region.end(), static_cast<Region>(r)) == m.region.end()) continue;
        const std::string region = region_name(static_cast<Region>(r));
        tia_[k][static_cast<size_t>(r)] = b.add_state("label.tia_free." + member + "." + region);
        b.add_output({"free_" + tag + "_" + region + "_MBq", [this, k, r](const EvalContext& c) {
                        return activity(c.y, k, static_cast<Region>(r));
                      }});
      }
      for (int r = 0; r < kRegionCount; ++r)
        if (const int s = tia_[k][static_cast<size_t>(r)]; s >= 0)
          b.add_output({"tia_free_" + tag + "_" + region_name(static_cast<Region>(r)) + "_MBq_h",
                        [s](const EvalContext& c) { return c.y[s] * kHoursPerDay; }});
    }
    tia_release_ = b.add_state("label.tia_release_sites");
    b.add_output({"release_sites_MBq", [this](const EvalContext& c) { return sum(c.y, release_) * label_mbq_; }});
    b.add_output(
        {"tia_release_sites_MBq_h", [this](const EvalContext& c) { return c.y[tia_release_] * kHoursPerDay; }});
  }

  // The conjugate pools are known once every mechanism is built.
  void link(ModelBuilder& b) override {
    auto take = [&](const std::vector<int>& pool) {
      if (pool.size() < 2) throw std::logic_error("a labelled conjugate has species 0 (unlabelled) and 1 (labelled)");
      release_.push_back(pool[1]);
      if (b.state_names()[static_cast<size_t>(pool[1])].rfind("tumour.marrow.", 0) == 0) marrow_.push_back(pool[1]);
    };
    for (const auto& pool : b.conjugate_pools()) take(pool);
    // Conjugate bound to the tumour's cell surfaces releases its daughters as it does
    // in fluid (with quasi-equilibrium binding it is part of the site's pool anyway);
    // inside the cells (endosomes) they stay.
    for (const auto& pool : b.cell_conjugates())
      if (!pool.empty() && b.state_names()[static_cast<size_t>(pool[0])].find(".complex.") != std::string::npos)
        take(pool);
    if (!marrow_.empty()) {
      tia_release_marrow_ = b.add_state("label.tia_release_tumour_marrow");
      b.add_output(
          {"release_tumour_marrow_MBq", [this](const EvalContext& c) { return sum(c.y, marrow_) * label_mbq_; }});
      b.add_output({"tia_release_tumour_marrow_MBq_h",
                    [this](const EvalContext& c) { return c.y[tia_release_marrow_] * kHoursPerDay; }});
    }
  }

  const char* name() const override { return "free_daughters"; }
  double fastest_rate(const double*) const override { return kinetics_.fastest_rate(); }

  void rhs(const EvalContext& c, double* dy) const override {
    const double released = sum(c.y, release_);
    kinetics_.rhs(lambda_label_ * labels_ * released, c.y + first_, dy + first_);
    dy[tia_release_] += released * label_mbq_;
    if (tia_release_marrow_ >= 0) dy[tia_release_marrow_] += sum(c.y, marrow_) * label_mbq_;
    const FreeChain& fc = kinetics_.chain();
    for (size_t k = 0; k < fc.followed.size(); ++k) {
      const ElementModel& m = *fc.model[k];
      const int off = first_ + kinetics_.offset(k);
      for (size_t i = 0; i < m.compartments.size(); ++i)
        dy[tia_[k][static_cast<size_t>(m.region[i])]] += c.y[off + static_cast<int>(i)] * mbq_per_nmol_[k];
    }
  }

 private:
  static double sum(const double* y, const std::vector<int>& states) {
    double n = 0.0;
    for (int s : states) n += y[s];
    return n;
  }

  // MBq of free member k in a region.
  double activity(const double* y, size_t k, Region r) const {
    const ElementModel& m = *kinetics_.chain().model[k];
    const int off = first_ + kinetics_.offset(k);
    double n = 0.0;
    for (size_t i = 0; i < m.compartments.size(); ++i)
      if (m.region[i] == r) n += y[off + static_cast<int>(i)];
    return n * mbq_per_nmol_[k];
  }

  FreeDaughterKinetics kinetics_;
  double lambda_label_;
  int labels_;
  double label_mbq_;  // MBq per unit of the labelled species
  std::vector<double> mbq_per_nmol_;
  std::vector<std::vector<int>> tia_;  // by member, region
  std::vector<int> release_, marrow_;
  int first_ = -1, tia_release_ = -1, tia_release_marrow_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_free_daughters(ModelBuilder& b, const NuclideLibrary& library, const FreeChain& chain,
                                            int labels) {
  return std::make_unique<FreeDaughters>(b, library, chain, labels);
}

std::string member_tag(const std::string& nuclide) {
  std::string tag;
  for (char ch : nuclide)
    if (ch != '-') tag += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return tag;
}

}  // namespace icsim::radiation
