package mockserver_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

// TestREADMETokenWalkthrough runs the README's create-use-list-revoke walkthrough, exactly as written
// but for the mock's address, and checks that each step answers what the README says it answers.
func TestREADMETokenWalkthrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the walkthrough needs %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)<!-- token-walkthrough -->\n```sh\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, block, "README.md has no token walkthrough block")
	script := string(block[1])
	require.Contains(t, script, "YT=http://127.0.0.1:8080\n")

	base := startMock(t, nil)
	script = strings.Replace(script, "YT=http://127.0.0.1:8080\n", "YT="+base+"\n", 1)
	out, err := exec.Command("bash", "-euo", "pipefail", "-c", script).CombinedOutput()
	require.NoError(t, err, "%s", out)

	// Each step's answer is the comment line under it in the README.
	var want []string
	for _, line := range strings.Split(string(block[1]), "\n") {
		if strings.HasPrefix(line, "# ") && !regexp.MustCompile(`^# \d\. `).MatchString(line) {
			want = append(want, strings.TrimPrefix(line, "# "))
		}
	}
	assert.Equal(t, want, strings.Split(strings.TrimSpace(string(out)), "\n"))
}

// TestREADMEFixtureFileLoads: the README's fixture file is complete, as a reader copies it.
func TestREADMEFixtureFileLoads(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)<!-- fixture-file -->\n```yaml\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, block, "README.md has no fixture file block")
	f, err := mockserver.ParseFixtures("README.md", block[1])
	require.NoError(t, err)
	_, err = mockserver.NewStore(f)
	require.NoError(t, err)
}
