// Deconjugation: each conjugated payload leaves its antibody at first order
// (rate k per payload), so species DAR n becomes n-1 at rate n*k (Bender et al.
// 2014 with equal per-payload rates). Applied to every conjugate pool alike, so the
// average DAR of a single dose falls as DAR0*exp(-k*t) whatever the disposition.
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "io/yaml_text.h"
#include "pk/conjugate.h"
#include "pk/dar/dar.h"
#include "population/individual.h"

namespace icsim {

namespace {

class Deconjugation final : public Module {
 public:
  Deconjugation(ModelBuilder& b, const ConjugateLayout& layout) : dar_(layout.dar) {
    for (size_t s = 0; s < dar_.size(); ++s)
      if (dar_[s] != static_cast<int>(s))
        throw std::logic_error("deconjugation needs one species per DAR value 0..n");
    pools_ = b.conjugate_pools();
    k_ = b.param("dar.deconjugation");
    payload_lost_ = b.accumulator("payload.lost", {0.0, 1.0, 0.0});
    const double mw = layout.molecular_weight;
    std::vector<int> central = pools_.front();
    b.add_output({"plasma_conjugated_ug_per_mL",
                  [central, mw, this](const EvalContext& c) {
                    double sum = 0.0;
                    for (size_t s = 1; s < central.size(); ++s) sum += c.y[central[s]];
                    return sum / c.p[v1_] * mw * 1e-6;
                  },
                  OutputGroup::kConjugateForm});
    b.add_output({"plasma_average_dar",
                  [central](const EvalContext& c) {
                    double n = 0.0, payloads = 0.0;
                    for (size_t s = 0; s < central.size(); ++s) {
                      n += c.y[central[s]];
                      payloads += static_cast<double>(s) * c.y[central[s]];
                    }
                    return n > 0.0 ? payloads / n : 0.0;
                  },
                  OutputGroup::kConjugateForm});
    v1_ = b.param("disposition.V1");
  }
  void link(ModelBuilder& b) override { payload_ = b.find_state(names::kPayloadCentral); }
  const char* name() const override { return "deconjugation"; }

  void rhs(const EvalContext& c, double* dy) const override {
    const double k = c.p[k_];
    double released = 0.0;
    for (const auto& pool : pools_) {
      for (size_t s = 1; s < pool.size(); ++s) {
        const double flux = k * static_cast<double>(s) * c.y[pool[s]];
        dy[pool[s]] -= flux;
        dy[pool[s - 1]] += flux;
        released += flux;
      }
    }
    // Released payload enters plasma (Singh & Shah 2017, Eq 3 corrected).
    if (payload_ >= 0) dy[payload_] += released;
    else add_if(dy, payload_lost_, released);
  }

 private:
  std::vector<int> dar_;
  std::vector<std::vector<int>> pools_;
  int k_, payload_lost_, v1_ = -1, payload_ = -1;
};

}  // namespace

bool DarOptions::is_valid(std::string* why) const {
  if (distribution.empty()) {
    if (why) *why = "missing 'distribution' of DAR values";
    return false;
  }
  double sum = 0.0;
  for (const auto& [n, f] : distribution) {
    if (n < 0 || n > 32 || !(f >= 0.0 && f <= 1.0)) {
      if (why) *why = "a DAR must be a whole number from 0 to 32 and its fraction between 0 and 1";
      return false;
    }
    sum += f;
  }
  if (std::abs(sum - 1.0) > 1e-6) {
    if (why) *why = fmt::format("fractions must add up to 1 (they add up to {:.6g})", sum);
    return false;
  }
  return true;
}

namespace {

class DarMechanism final : public Mechanism {
 public:
  const char* section() const override { return "dar"; }
  const char* summary() const override {
    return "drug-to-antibody ratio: one conjugate species per DAR value, with first-order deconjugation";
  }
  std::vector<ParamDecl> parameters() const override {
    return {{"deconjugation", "1/day", Bound::kNonNegative, "loss rate of each conjugated payload"}};
  }
  std::vector<std::string> option_keys() const override { return {"distribution", "source"}; }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<DarOptions>(); }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec&) const override {
    auto& o = static_cast<DarOptions&>(mo);
    const YAML::Node& m = in.node;
    if (in.library && m["distribution"] && !m["source"])
      in.doc.fail(m, in.key, "library values must name their 'source'");
    if (!m["distribution"]) return;
    const YAML::Node d = m["distribution"];
    const std::string dk = in.key + ".distribution";
    in.doc.require_map(d, dk);
    o.distribution.clear();
    double sum = 0.0;
    for (const auto& kv : d) {
      const std::string nk = join_key(dk, kv.first.Scalar());
      const long n = in.doc.integer(kv.first, nk);
      if (n < 0 || n > 32) in.doc.fail(kv.first, nk, "a DAR must be a whole number from 0 to 32");
      const double f = in.doc.number(kv.second, nk);
      if (!(f >= 0.0 && f <= 1.0)) in.doc.fail(kv.second, nk, "a fraction must be between 0 and 1");
      o.distribution[static_cast<int>(n)] = f;
      sum += f;
    }
    if (d.size() == 0 || std::abs(sum - 1.0) > 1e-6)
      in.doc.fail(d, dk, fmt::format("fractions must add up to 1 (they add up to {:.6g})", sum));
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    std::string d = "{";
    for (const auto& [n, f] : static_cast<const DarOptions&>(mo).distribution)
      d += (d.size() > 1 ? ", " : "") + std::to_string(n) + ": " + format_exact(f);
    return {{"distribution", d + "}"}};
  }
  std::vector<std::string> required(const MechanismOptions&) const override { return {}; }
  Dependencies dependencies() const override { return {{}, {}, {names::kPools}}; }
  // One species per DAR value of the distribution; with deconjugation, one per
  // value from 0 to the largest, since payloads leave one at a time.
  void plan(BuildPlan& plan, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DarOptions&>(mo);
    ConjugateLayout& l = plan.layout;
    l.dar.clear();
    l.dose_fraction.clear();
    if (deconjugating(plan.agent, plan.individual)) {
      for (int n = 0; n <= o.distribution.rbegin()->first; ++n) l.dar.push_back(n);
    } else {
      for (const auto& [n, fraction] : o.distribution) l.dar.push_back(n);
    }
    for (int n : l.dar) l.dose_fraction.push_back(o.distribution.count(n) ? o.distribution.at(n) : 0.0);
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions&) const override {
    if (deconjugating(plan.agent, plan.individual)) b.add_module(std::make_unique<Deconjugation>(b, plan.layout));
  }
  const char* example() const override {
    return "{distribution: {2: 0.2, 4: 0.5, 6: 0.3}, deconjugation: 0.1 /day}";
  }
  const char* switched_off() const override { return "{deconjugation: 0 /day}"; }

 private:
  // Deconjugation needs a species per DAR value only when it can happen.
  static bool deconjugating(const AgentSpec& a, const IndividualModel& individual) {
    if (!a.has("dar.deconjugation")) return false;
    if (a.value("dar.deconjugation") > 0.0) return true;
    for (const auto& name : individual.random_effect_names())
      if (name == "dar.deconjugation") return true;
    return false;
  }
};

}  // namespace

const Mechanism& dar_mechanism() {
  static const DarMechanism m;
  return m;
}

}  // namespace icsim
