package poll

import "testing"

// TestSettle: Settle returns the value at which the readings stop falling.
func TestSettle(t *testing.T) {
	t.Parallel()
	readings := []int{9, 7, 4, 4, 6}
	i := 0
	got := Settle(func() int { v := readings[min(i, len(readings)-1)]; i++; return v })
	if got != 4 || i != 4 {
		t.Errorf("Settle = %d after %d readings, want 4 after 4", got, i)
	}
}
