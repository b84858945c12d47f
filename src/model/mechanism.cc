#include "model/mechanism.h"

namespace icsim {

OptionsBox::OptionsBox(std::unique_ptr<MechanismOptions> o) : p_(std::move(o)) {}
OptionsBox::OptionsBox(const OptionsBox& o) : p_(o.p_ ? o.p_->clone() : nullptr) {}
OptionsBox& OptionsBox::operator=(const OptionsBox& o) {
  if (this != &o) p_ = o.p_ ? o.p_->clone() : nullptr;
  return *this;
}
OptionsBox::~OptionsBox() = default;

}  // namespace icsim
