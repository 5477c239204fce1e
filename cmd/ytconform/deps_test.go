package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTheBinaryLinksNoTestHelpers: the mock's test helpers live in mockserver/mocktest, so the binary links
// no net/http/httptest (whose init registers a flag), and `testing` only because godog v0.16.0 itself
// imports it (its Options.TestingT, its flags): no other package brings it in.
func TestTheBinaryLinksNoTestHelpers(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".").Output()
	require.NoError(t, err)
	var importersOfTesting []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		require.NotEqual(t, "net/http/httptest", fields[0], "the binary links net/http/httptest")
		if slices.Contains(fields[1:], "testing") && !strings.HasPrefix(fields[0], "github.com/cucumber/godog") {
			importersOfTesting = append(importersOfTesting, fields[0])
		}
	}
	require.Empty(t, importersOfTesting, "packages of the binary, other than godog's, that import testing")
}
