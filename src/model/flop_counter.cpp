// Flip-board digit counter (see the header).
#include "model/flop_counter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::model {

namespace {
double ease_out_cubic(double u) {
    const double r = 1.0 - u;
    return 1.0 - r * r * r;
}
}  // namespace

FlopCounter::FlopCounter(FlopStyle style) : style_(style) {
    style_.decimals = std::clamp(style_.decimals, 0, kMaxDecimals);
    if (!(style_.roll_ms > 0)) style_.roll_ms = 1;  // a zero roll: jump straight to the target
}

double FlopCounter::position(const Column& c, double now_ms) const {
    const double u = (now_ms - c.start_ms) / style_.roll_ms;
    if (!(u < 1.0)) return c.to;        // done: exactly the digit, never a stuck half-roll
    if (!(u > 0.0)) return c.from;      // (a clock read before the update)
    return c.from + (c.to - c.from) * ease_out_cubic(u);  // monotonic from `from` to `to`
}

void FlopCounter::set_target(double value, double now_ms) {
    if (!std::isfinite(value) || !std::isfinite(now_ms)) return;
    const int columns = kIntegerDigits;  // decimals included: 15 digits stay exact in a double
    double scaled = std::round(std::fabs(value) * std::pow(10.0, style_.decimals));
    const double max_scaled = std::pow(10.0, columns) - 1;
    scaled = std::min(scaled, max_scaled);
    target_ = value;
    negative_ = value < 0 && scaled > 0;  // no "-0"
    target_int_digits_ = 1;
    for (int i = 0; i < kColumns; ++i) {
        int digit = 0;
        if (i < columns) {
            digit = static_cast<int>(std::fmod(scaled, 10.0));
            scaled = std::floor(scaled / 10.0);
        }
        Column& c = columns_[static_cast<std::size_t>(i)];
        const double here = position(c, now_ms);  // the newest target wins from where it stands
        c.from = here;
        c.to = digit;
        c.start_ms = now_ms;
        const int place = i - style_.decimals;
        if (digit != 0 && place >= 0) target_int_digits_ = std::max(target_int_digits_, place + 1);
    }
}

int FlopCounter::integer_width(double now_ms) const {
    int width = target_int_digits_;
    // A leading digit still rolling down to 0 (1000 -> 999) stays until it gets there.
    for (int place = kIntegerDigits - 1; place >= width; --place)
        if (position(columns_[static_cast<std::size_t>(place + style_.decimals)], now_ms) > 0) return place + 1;
    return width;
}

std::vector<FlopCell> FlopCounter::cells(double now_ms) const {
    std::vector<FlopCell> out;
    const int width = integer_width(now_ms);
    if (negative_) out.push_back(FlopCell{false, '-', 0, false});
    auto digit_cell = [&](int column) {
        const Column& c = columns_[static_cast<std::size_t>(column)];
        const double p = position(c, now_ms);
        out.push_back(FlopCell{true, 0, p, p != static_cast<double>(c.to)});
    };
    for (int place = width - 1; place >= 0; --place) {
        digit_cell(place + style_.decimals);
        if (style_.group_thousands && place > 0 && place % 3 == 0) out.push_back(FlopCell{false, ',', 0, false});
    }
    if (style_.decimals > 0) out.push_back(FlopCell{false, '.', 0, false});
    for (int column = style_.decimals - 1; column >= 0; --column) digit_cell(column);
    return out;
}

std::string FlopCounter::target_text() const {
    std::string s;
    for (const FlopCell& cell : cells(std::numeric_limits<double>::infinity()))
        s += cell.digit ? static_cast<char>('0' + static_cast<int>(cell.position)) : cell.glyph;
    return s;
}

double FlopCounter::displayed(double now_ms) const {
    double sum = 0;
    for (int i = 0; i < kIntegerDigits + style_.decimals; ++i)
        sum += position(columns_[static_cast<std::size_t>(i)], now_ms) * std::pow(10.0, i - style_.decimals);
    return negative_ ? -sum : sum;
}

bool FlopCounter::settled(double now_ms) const {
    return std::all_of(columns_.begin(), columns_.end(),
                       [&](const Column& c) { return position(c, now_ms) == static_cast<double>(c.to); });
}

}  // namespace vigil::model
