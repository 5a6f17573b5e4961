package scanner

import "testing"

func TestLeadRangeBuiltin(t *testing.T) {
	n := 0
	for _, r := range Builtin() {
		lo, hi, ok := leadRange(r.Pattern, r.Keywords)
		if ok {
			n++
		}
		t.Logf("%-45s ok=%v lo=%d hi=%d max=%d", r.ID, ok, lo, hi, maxMatchLen(r.Pattern))
	}
	t.Logf("%d of %d", n, len(Builtin()))
}

func BenchmarkLeadRange(b *testing.B) {
	rules := Builtin()
	for b.Loop() {
		for _, r := range rules {
			leadRange(r.Pattern, r.Keywords)
		}
	}
}
