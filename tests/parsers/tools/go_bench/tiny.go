// Package tinybench is measured by gatekeeper's real-tool tests (test_real_tools.py).
package tinybench

import "strings"

// Repeat builds a string of n "ab" pairs.
func Repeat(n int) string { return strings.Repeat("ab", n) }
