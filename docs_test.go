package ytconform_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/target"
)

// The README and docs/ci.md are followed to the letter by people on a fresh machine. These tests run
// their blocks that can run on loopback, changed only where a test must: free ports instead of 8080, and
// the repository's path where a block assumes it runs in a clone.

// docBlock is the fenced block right after the marker <!-- NAME --> in file.
func docBlock(t *testing.T, file, name string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- " + regexp.QuoteMeta(name) + " -->\n```[a-z]*\n(.*?)```").FindSubmatch(data)
	require.NotNil(t, m, "%s has no block marked %s", file, name)
	return string(m[1])
}

// freePort returns a loopback port that nothing listens on at the moment.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// runBlock runs script with bash -euo pipefail in dir, with a GOPATH of its own (so that `go install` and
// `$(go env GOPATH)/bin` are the test's) and nothing of the developer's YOUTRACK_* variables. Whatever the
// script leaves running (a mock in the background) is stopped with it.
func runBlock(t *testing.T, dir, script string) string {
	t.Helper()
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the block needs %s: %v", tool, err)
		}
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "YOUTRACK_") && !strings.HasPrefix(kv, "YTCONFORM_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "GOPATH="+filepath.Join(dir, "gopath"), "GOMODCACHE="+strings.TrimSpace(string(modcache)))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the block failed:\n%s", out)
	return string(out)
}

// inThisClone makes a block that runs `go install ./cmd/ytconform` in a clone run from another directory.
func inThisClone(t *testing.T, script string) string {
	t.Helper()
	repo, err := os.Getwd()
	require.NoError(t, err)
	return strings.ReplaceAll(script, "go install ./cmd/ytconform", "go -C "+repo+" install ./cmd/ytconform")
}

// TestDocsCIJobRunsAgainstTheMock runs docs/ci.md's script through its "without a YouTrack" block: it must
// pass, print the counts the page quotes, and leave a JUnit report that readers count as the page says.
func TestDocsCIJobRunsAgainstTheMock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ci"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ci", "ytconform.sh"), []byte(docBlock(t, "docs/ci.md", "ci-script")), 0o755))
	try := strings.ReplaceAll(inThisClone(t, docBlock(t, "docs/ci.md", "ci-try")), "127.0.0.1:8080", "127.0.0.1:"+freePort(t))
	out := runBlock(t, dir, try)

	page, err := os.ReadFile("docs/ci.md")
	require.NoError(t, err)
	quoted := regexp.MustCompile("`(\\d+ scenarios: \\d+ passed, 0 failed, (\\d+) skipped)`").FindSubmatch(page)
	require.NotNil(t, quoted, "docs/ci.md quotes the counts")
	require.Contains(t, out, string(quoted[1])+"\n", "the counts docs/ci.md quotes")
	require.Regexp(t, `(?m)^ytconform: target: http://127\.0\.0\.1:\d+ \(from --target ytconform-target\.yaml\)$`, out)

	var junit struct {
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Skipped  int `xml:"skipped,attr"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "ytconform-junit.xml"))
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &junit))
	require.Equal(t, 0, junit.Failures+junit.Errors, "a passing run reads as passing")
	require.Equal(t, string(quoted[2]), fmt.Sprint(junit.Skipped))
}

// TestDocsTargetFilesAreComplete: each target file the docs show parses, and every ${NAME} it needs is
// one the docs tell the reader to set.
func TestDocsTargetFilesAreComplete(t *testing.T) {
	cases := []struct {
		file, block string
		setBy       *regexp.Regexp // where the docs set the variables
	}{
		{"README.md", "own-target", regexp.MustCompile(`(?m)^export (.*)$`)},
		{"docs/ci.md", "ci-target", regexp.MustCompile("secrets? or variables? `(YOUTRACK_URL)`|secret `(YOUTRACK_TOKEN)`|login as\\s+`(YOUTRACK_LOGIN)`")},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			page, err := os.ReadFile(c.file)
			require.NoError(t, err)
			set := map[string]bool{}
			for _, m := range c.setBy.FindAllStringSubmatch(string(page), -1) {
				for _, group := range m[1:] {
					for _, assignment := range strings.Fields(group) {
						name, _, _ := strings.Cut(assignment, "=")
						set[name] = name != ""
					}
				}
			}
			_, err = target.Parse(c.file, []byte(docBlock(t, c.file, c.block)), func(name string) string {
				if !set[name] {
					t.Errorf("%s: the target file needs ${%s}, which the page does not set", c.file, name)
				}
				if strings.HasSuffix(name, "URL") {
					return "http://127.0.0.1:8080"
				}
				return "perm-x"
			})
			require.NoError(t, err)
		})
	}
}

// TestREADMERecordLoop runs the README's record block: record a server, serve the recording, diff the two.
func TestREADMERecordLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	repo, err := os.Getwd()
	require.NoError(t, err)
	block := docBlock(t, "README.md", "record-loop")
	block = strings.ReplaceAll(block, "go build -o ytconform ./cmd/ytconform", "go -C "+repo+" build -o \"$PWD/ytconform\" ./cmd/ytconform")
	block = strings.ReplaceAll(block, "127.0.0.1:8080", "127.0.0.1:"+freePort(t))
	block = strings.ReplaceAll(block, "127.0.0.1:8081", "127.0.0.1:"+freePort(t))
	dir := t.TempDir()
	out := runBlock(t, dir, block)
	require.Regexp(t, `(?m)^recorded http://127\.0\.0\.1:\d+ as root: 2 projects, 2 users, guest allowed$`, out)
	require.Regexp(t, `(?m)^no difference: \d+ exchanges compared, \d+ ignored paths$`, out, "the replay differs in nothing but noise")
	info, err := os.Stat(filepath.Join(dir, "recorded.yaml"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the recording holds tokens")
}
