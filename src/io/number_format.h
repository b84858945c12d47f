// Fast number formatting for the writers: the same text as printf("%.*g"), from one
// multiplication by an exact power of ten, rounded to the precision; a product too
// close to a rounding tie to decide (and zero, subnormals, infinities, more than 15
// digits) takes the exact, slower conversion. tests/io/number_format_test.cc
// compares it with printf.
#pragma once

#include <string>

namespace icsim {

// Appends v as printf("%.<precision>g") would write it (precision >= 1).
void append_g(std::string& out, double v, int precision);

}  // namespace icsim
