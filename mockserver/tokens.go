package mockserver

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// MintToken makes a new secret in the shape YouTrack servers issue since about 2025:
// perm- + base64(login) + "." + base64(id) + "." + 30 random letters and digits from crypto/rand, where id
// is the token's id such as "41-0" (seen on 2026.1 by sergeev-alexander/youtrack-api-tests). The mock's
// Hub API issues its tokens with it; put one in a fixture's Token, with the same ID, to make it valid. The
// only error is crypto/rand failing (errNoRandomness).
func MintToken(login, id string) (string, error) {
	return mint("perm-", login, id)
}

// MintLegacyToken makes a new secret in the perm: shape of servers before about 2025, as in the reference
// exchange of 2017.2: perm: + base64(login) + "." + base64(name) + "." + 30 random letters and digits, where
// name is the token's name. Its only error is crypto/rand failing (errNoRandomness).
func MintLegacyToken(login, name string) (string, error) {
	return mint("perm:", login, name)
}

// mint is prefix + base64(login) + "." + base64(middle) + "." + 30 random letters and digits.
func mint(prefix, login, middle string) (string, error) {
	random, err := randomAlphanumeric(30)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errNoRandomness, err)
	}
	return prefix + base64.StdEncoding.EncodeToString([]byte(login)) + "." +
		base64.StdEncoding.EncodeToString([]byte(middle)) + "." + random, nil
}

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomAlphanumeric(n int) (string, error) {
	out := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		// Rejection sampling keeps every character equally likely: 62*4 = 248 < 256.
		if buf[0] < 248 {
			out[i] = alphanumeric[buf[0]%62]
			i++
		}
	}
	return string(out), nil
}
