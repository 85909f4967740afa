package tinybench

import (
	"fmt"
	"testing"
)

func BenchmarkRepeat(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(64)
	for i := 0; i < b.N; i++ {
		_ = Repeat(32)
	}
}

func BenchmarkSizes(b *testing.B) {
	for _, n := range []int{4, 64} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_ = Repeat(n)
			}
			b.ReportMetric(float64(2*n), "chars/op")
		})
	}
}

func TestRepeat(t *testing.T) {
	if Repeat(1) != "ab" {
		t.Fatal("Repeat(1) is not ab")
	}
}
