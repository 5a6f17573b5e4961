package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a flag.Value for a size in bytes, written plainly (1048576) or
// with a binary unit (512KiB, 10MiB, 1GiB; K, M, G, KB, MB and GB mean the
// same powers of 1024).
type byteSize int64

// Set parses s.
func (b *byteSize) Set(s string) error {
	num := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for i, unit := range []string{"k", "m", "g"} {
		for _, suf := range []string{unit + "ib", unit + "b", unit} {
			if n, ok := strings.CutSuffix(num, suf); ok && mult == 1 {
				num, mult = n, 1<<(10*(i+1))
			}
		}
	}
	num = strings.TrimSuffix(num, "b")
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("invalid size %q (want bytes, or a number with KiB, MiB or GiB)", s)
	}
	*b = byteSize(n * mult)
	return nil
}

// String renders the size in the largest binary unit that divides it.
func (b *byteSize) String() string {
	n := int64(*b)
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}
