package mockserver

import (
	"encoding/base64"
	"fmt"
)

// MintToken makes a new secret in the modern permanent-token shape, perm-BASE64(login).BASE64(name).
// followed by 30 random letters and digits from crypto/rand, as the mock's Hub API issues them. Put it in
// a fixture's Token to make it valid.
func MintToken(login, name string) (string, error) {
	random, err := randomAlphanumeric(30)
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	return "perm-" + base64.StdEncoding.EncodeToString([]byte(login)) + "." +
		base64.StdEncoding.EncodeToString([]byte(name)) + "." + random, nil
}
