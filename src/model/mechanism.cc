#include "model/mechanism.h"

#include <cmath>
#include <stdexcept>

#include "core/quantity.h"

namespace icsim {

OptionsBox::OptionsBox(std::unique_ptr<MechanismOptions> o) : p_(std::move(o)) {}
OptionsBox::OptionsBox(const OptionsBox& o) : p_(o.p_ ? o.p_->clone() : nullptr) {}
OptionsBox& OptionsBox::operator=(const OptionsBox& o) {
  if (this != &o) p_ = o.p_ ? o.p_->clone() : nullptr;
  return *this;
}
OptionsBox::~OptionsBox() = default;

double written_value(const AgentSpec& agent, const Mechanism& m, const std::string& relative, const char* unit) {
  const std::string name = std::string(m.section()) + "." + relative;
  try {
    if (agent.has(name)) return convert(agent.params.at(name).written, parse_unit(unit));
    for (const ParamDecl& d : m.parameters())
      if (d.name == relative && d.default_value) return convert(parse_quantity(d.default_value), parse_unit(unit));
  } catch (const std::invalid_argument&) {
  }
  return std::nan("");
}

}  // namespace icsim
