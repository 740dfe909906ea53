package game

import (
	"strings"
	"unicode/utf8"
)

// asciiNames spell out the symbols of the parameter help and messages,
// because the UI font, basicfont's 7×13 face, has glyphs for printable
// ASCII only. Longer sequences come first, because at each position the
// replacer takes the first match in argument order.
var asciiNames = strings.NewReplacer(
	"θ̇", "theta'", "ẋ", "x'",
	"α", "alpha", "β", "beta", "γ", "gamma", "ε", "epsilon", "μ", "mu",
	"σ", "sigma", "τ", "tau", "φ", "phi", "ρ", "rho", "θ", "theta", "ξ", "xi",
	"π", "pi", "Σ", "sum ", "λ", "lambda",
	"−", "-", "·", "*", "×", "x", "²", "^2", "…", "...", "≤", "<=", "≥", ">=",
	"—", "-", "–", "-", "’", "'", "“", `"`, "”", `"`,
)

// ASCII returns s with its symbols spelled in ASCII and any other
// non-ASCII rune replaced by '?'.
func ASCII(s string) string {
	s = asciiNames.Replace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(func(r rune) rune {
				if r >= utf8.RuneSelf {
					return '?'
				}
				return r
			}, s)
		}
	}
	return s
}

// Wrap splits s into lines of at most width bytes, breaking at spaces
// where it can and inside a word only when the word alone is longer.
func Wrap(s string, width int) []string {
	width = max(width, 1)
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for len(word) > width {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				lines = append(lines, word[:width])
				word = word[width:]
			}
			switch {
			case line == "":
				line = word
			case len(line)+1+len(word) <= width:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return lines
}
