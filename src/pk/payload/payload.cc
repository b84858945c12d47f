// Released payload in plasma with its own 1- or 2-compartment disposition.
#include "pk/modules.h"

namespace icsim {

namespace {

class Payload final : public Module {
 public:
  Payload(ModelBuilder& b, int compartments, double mw) : two_(compartments == 2) {
    central_ = b.add_state(names::kPayloadCentral);
    if (two_) peripheral_ = b.add_state("payload.peripheral");
    cl_ = b.param("payload.CL");
    v1_ = b.param("payload.V1");
    q_ = b.param("payload.Q");
    v2_ = b.param("payload.V2");
    eliminated_ = b.accumulator("payload.eliminated");
    const double ng_per_mL_per_nM = mw * 1e-3;
    b.add_output({"payload_plasma_ng_per_mL", [this, ng_per_mL_per_nM](const EvalContext& c) {
                    return c.y[central_] / c.p[v1_] * ng_per_mL_per_nM;
                  }});
  }
  const char* name() const override { return "payload"; }

  void rhs(const EvalContext& c, double* dy) const override {
    const double conc = c.y[central_] / c.p[v1_];
    const double elim = c.p[cl_] * conc;
    dy[central_] -= elim;
    add_if(dy, eliminated_, elim);
    if (two_) {
      const double flow = c.p[q_] * (conc - c.y[peripheral_] / c.p[v2_]);
      dy[central_] -= flow;
      dy[peripheral_] += flow;
    }
  }

 private:
  bool two_;
  int central_, peripheral_ = -1, cl_, v1_, q_, v2_, eliminated_;
};

}  // namespace

std::unique_ptr<Module> make_payload(ModelBuilder& b, int compartments, double payload_mw) {
  return std::make_unique<Payload>(b, compartments, payload_mw);
}

}  // namespace icsim
