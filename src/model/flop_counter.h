// The state of an animated digit counter (airport flip board, DataV "digital flop"): each digit
// rolls along a 0-9 strip from where it is toward the newest target. Pure logic; the UI draws it.
// A burst of updates never glitches: every roll starts from the digit's current position, the
// newest target always wins, and everything settles exactly roll_ms after the last update.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace vigil::model {

struct FlopStyle {
    int decimals = 0;              // 0..4 digits after the point
    bool group_thousands = true;   // "12,345"
    double roll_ms = 600;          // a roll's duration; the counter settles this long after a target
};

struct FlopCell {
    bool digit = false;
    char glyph = 0;        // non-digit cells: '-', '.', ','
    double position = 0;   // digit cells: 0..9 on the strip. Whole: show that digit. Fractional:
                           // floor(position) slides out as floor+1 slides in, by the fraction.
    bool rolling = false;
};

class FlopCounter {
public:
    // 15 digits in all, decimals included (exact in a double): larger magnitudes show as 999...9.
    static constexpr int kIntegerDigits = 15;
    static constexpr int kMaxDecimals = 4;

    explicit FlopCounter(FlopStyle style = {});

    // A new value to show from page time now_ms on. Not finite: ignored.
    void set_target(double value, double now_ms);

    // Left to right: sign, digits with group separators, point, decimals.
    std::vector<FlopCell> cells(double now_ms) const;

    double target() const { return target_; }
    std::string target_text() const;           // what cells() shows once settled: "-12,345.6"
    double displayed(double now_ms) const;     // the value the rolling digits spell right now
    bool settled(double now_ms) const;

private:
    struct Column {
        double from = 0;  // strip position when this roll started
        int to = 0;
        double start_ms = 0;
    };
    static constexpr int kColumns = kIntegerDigits + kMaxDecimals;

    double position(const Column& c, double now_ms) const;
    int integer_width(double now_ms) const;  // integer columns to show (>= 1)

    FlopStyle style_;
    std::array<Column, kColumns> columns_{};  // [0] = the least significant shown digit
    double target_ = 0;
    bool negative_ = false;
    int target_int_digits_ = 1;
};

}  // namespace vigil::model
