package yamlerr

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v4"
)

func TestDescribe(t *testing.T) {
	type file struct {
		Users []struct {
			Login string `yaml:"login"`
		} `yaml:"users"`
	}
	cases := []struct{ name, data, want string }{
		{"an unknown key names the key in the file's words", "users:\n  - login: root\n    admn: true\n", `f.yaml:3: unknown field "admn"`},
		{"a syntax error names its line", "users: [\n", `f.yaml:2: did not find expected node content`},
		{"a wrong type names its line", "users: 3\n", "f.yaml:1: cannot construct !!int `3` into []struct { Login string \"yaml:\\\"login\\\"\" }"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var f file
			err := yaml.Load([]byte(c.data), &f, yaml.WithKnownFields())
			require.Error(t, err)
			require.EqualError(t, Describe("f.yaml", err), c.want)
		})
	}
}

func TestLine(t *testing.T) {
	var doc yaml.Node
	require.NoError(t, yaml.Load([]byte("guest:\n  access: nope\nusers:\n  - login: root\n  - login: jane\n    id: 9\n"), &doc))
	cases := []struct {
		name string
		path []string
		want int
	}{
		{"a key of a mapping", []string{"guest", "access"}, 2},
		{"a field of a sequence entry", []string{"users", "[1]", "id"}, 6},
		{"a missing field falls back to its entry", []string{"users", "[0]", "id"}, 4},
		{"a missing section falls back to the document", []string{"projects", "[0]"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, Line(&doc, c.path...))
		})
	}
	require.Zero(t, Line(nil, "users"), "fixtures built in code have no lines")
}
