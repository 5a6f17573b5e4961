package poll

import "time"

// settleInterval is the wait between two readings in Settle, and
// settleReadings the most readings it takes.
const (
	settleInterval = 10 * time.Millisecond
	settleReadings = 50
)

// Settle reads measure until its value stops falling (or after
// settleReadings readings) and returns the last value: a baseline such as
// a goroutine count, taken once the goroutines that are ending have ended.
func Settle(measure func() int) int {
	n := measure()
	for range settleReadings {
		time.Sleep(settleInterval)
		m := measure()
		if m >= n {
			return m
		}
		n = m
	}
	return n
}
