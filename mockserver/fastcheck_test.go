package mockserver

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The hand-written checks replace regexps on the start-up path; they must accept exactly what the
// patterns accept.
func TestFastChecksMatchTheirPatterns(t *testing.T) {
	inputs := []string{"", "A", "a", "_", "1A", "FP", "SYN000001", "A_1", "A-1", "AÄ", "A ", " A",
		"A23456789012345678901234567890123456789012345678901", // 51 characters
		"A2345678901234567890123456789012345678901234567890",  // 50
		"0-", "0-0", "0-12", "1-2", "0-1a", "0--1", "00-1", "0-1\n", "0-٣", "1-", "1-1", "1-0x"}
	alphabet := []byte("Aa0_-Z9 0-\xc3\x84")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		b := make([]byte, rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		inputs = append(inputs, string(b), "0-"+string(b))
	}
	shortNamePattern := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,49}$`)
	projectIDPattern := regexp.MustCompile(`^0-[0-9]+$`)
	userIDPattern := regexp.MustCompile(`^1-[0-9]+$`)
	for _, s := range inputs {
		assert.Equal(t, shortNamePattern.MatchString(s), IsShortName(s), "short name %q", s)
		assert.Equal(t, projectIDPattern.MatchString(s), IsProjectID(s), "project id %q", s)
		assert.Equal(t, userIDPattern.MatchString(s), IsUserID(s), "user id %q", s)
	}
}

func TestBitset(t *testing.T) {
	var b bitset
	assert.False(t, b.has(0))
	assert.False(t, b.has(-1))
	for _, i := range []int{0, 63, 64, 1000} {
		b.add(i)
	}
	for i := -1; i <= 1100; i++ {
		assert.Equal(t, i == 0 || i == 63 || i == 64 || i == 1000, b.has(i), "member %d", i)
	}
	assert.Equal(t, 4, b.count())
}
