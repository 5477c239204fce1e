package mockserver

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// Regression tests for what the fuzz targets found. Each crasher's input is also kept in
// testdata/fuzz/<FuzzName>/regression_*, which plain `go test` runs.

// FuzzFields: avatarUrl copied the ring id into the JSON string unescaped, so a ring id holding a quote
// produced invalid JSON. Ring ids derived from logins are hex today; the writer must not rely on it.
func TestAvatarURLEscapesTheRingID(t *testing.T) {
	u := &user{id: "1-1", login: "x", ringID: "a\"b\\c\x01"}
	b := userKind.appendObject(nil, u, []field{{name: "avatarUrl"}})
	var got struct {
		AvatarURL string `json:"avatarUrl"`
	}
	require.NoError(t, json.Unmarshal(b, &got), "%s", b)
	require.Equal(t, "/hub/api/rest/avatar/a\"b\\c\x01?dpr=1&size=48", got.AvatarURL)

	u.ringID = "0f1e2d3c-0000-4000-8000-00000000abcd"
	require.Equal(t, `{"avatarUrl":"/hub/api/rest/avatar/0f1e2d3c-0000-4000-8000-00000000abcd?dpr=1&size=48","$type":"User"}`,
		string(userKind.appendObject(nil, u, []field{{name: "avatarUrl"}})), "a plain ring id is written as before")
}
