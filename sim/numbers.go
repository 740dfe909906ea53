package sim

import (
	"errors"
	"strconv"
)

// errNotDecimal reports a number in a form other than plain decimal.
var errNotDecimal = errors.New("not a decimal number")

// parseDecimal parses s as a decimal number with an optional sign,
// fraction and exponent, such as -1.5, .5 or 2e-3. It rejects the other
// forms that strconv.ParseFloat accepts: hexadecimal mantissas,
// underscores between digits, Inf and NaN. Surrounding spaces are
// rejected too.
func parseDecimal(s string) (float64, error) {
	if !isDecimal(s) {
		return 0, errNotDecimal
	}
	return strconv.ParseFloat(s, 64)
}

// ParseDecimal parses s as parseDecimal does, for the parameters of other
// packages that take numbers in the same form as those of Params.
func ParseDecimal(s string) (float64, error) { return parseDecimal(s) }

// isDecimal reports whether s matches [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?
// with d a digit from 0 to 9.
func isDecimal(s string) bool {
	i := 0
	skipSign := func() {
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
	}
	countDigits := func() int {
		start := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - start
	}
	skipSign()
	mantissa := countDigits()
	if i < len(s) && s[i] == '.' {
		i++
		mantissa += countDigits()
	}
	if mantissa == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		skipSign()
		if countDigits() == 0 {
			return false
		}
	}
	return i == len(s)
}
