package mockserver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The access log's hand-written time stamp and duration read as time.Format and %.2f would write them.
func TestAccessLogStampAndDuration(t *testing.T) {
	var l accessLog
	for _, ts := range []string{"2026-01-02T03:04:05.000Z", "2026-01-02T03:04:05.999Z", "2026-01-02T03:04:06.007Z", "1999-12-31T23:59:59.123Z"} {
		tm, err := time.Parse(time.RFC3339Nano, ts)
		assert.NoError(t, err)
		assert.Equal(t, ts, string(l.appendStamp(nil, tm.In(time.FixedZone("X", 3600)))))
	}
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{0, "0.00"}, {time.Microsecond, "0.00"}, {5 * time.Microsecond, "0.01"}, {1494 * time.Microsecond, "1.49"},
		{1495 * time.Microsecond, "1.50"}, {12 * time.Second, "12000.00"}, {-time.Second, "0.00"}} {
		assert.Equal(t, c.want, string(appendMillis(nil, c.d)), "%v", c.d)
	}
}
