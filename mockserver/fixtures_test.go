package mockserver_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

func TestBadFixturesNameFileLineAndReason(t *testing.T) {
	cases := []struct {
		name    string
		yaml    string
		wantErr string
	}{
		{"a typo in a field name", "users:\n  - login: root\n    admn: true\n",
			`team.yaml:3: unknown field "admn"`},
		{"a duplicate token", "users:\n  - login: root\ntokens:\n  - {token: perm:abcdefgh, user: root}\n  - {token: perm:abcdefgh, user: root}\n",
			`team.yaml:5: tokens[1].token: duplicate token (the same secret appears twice)`},
		{"a project led by an unknown user", "users:\n  - login: root\nprojects:\n  - name: First\n    shortName: FP\n    leader: rooot\n",
			`team.yaml:6: projects[0].leader: unknown user "rooot"`},
		{"a token of an unknown user", "tokens:\n  - token: perm:abcdefgh\n    user: nobody\n",
			`team.yaml:3: tokens[0].user: unknown user "nobody"`},
		{"a user reading an unknown project", "users:\n  - login: jane\n    projects: [XX]\n",
			`team.yaml:3: users[0].projects: unknown project "XX"`},
		{"a duplicate login", "users:\n  - login: root\n  - login: root\n",
			`team.yaml:3: users[1].login: duplicate login "root"`},
		{"a wrong type", "users:\n  - login: root\n    admin: maybe\n",
			"team.yaml:3: cannot construct !!str `maybe` into bool"},
		{"an unknown guest setting", "guest:\n  access: sometimes\n",
			`team.yaml:2: guest.access: must be "allowed" or "banned", not "sometimes"`},
		{"broken YAML", "users: [\n",
			"team.yaml:2: did not find expected node content"},
		{"an empty file", "\n", "team.yaml: the fixture file is empty"},
		{"a malformed token, which is not echoed", "users:\n  - login: root\ntokens:\n  - {token: \"secret with spaces\", user: root}\n",
			"team.yaml:4: tokens[0].token: must be 8 to 512 characters of A-Z a-z 0-9 - . _ ~ + / : ="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "team.yaml")
			require.NoError(t, os.WriteFile(path, []byte(tc.yaml), 0o600))
			_, err := mockserver.LoadFixtures(path)
			require.Error(t, err)
			assert.Equal(t, filepath.Join(filepath.Dir(path), tc.wantErr), err.Error())
		})
	}
}

func TestDefaultFixturesAreValidAndFresh(t *testing.T) {
	a, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	a.Users[0].Login = "changed"
	b, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	assert.Equal(t, "root", b.Users[0].Login, "each call returns its own copy")
}
