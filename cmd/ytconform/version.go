package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

const versionUsage = `Usage: ytconform version

Prints the build information: the module version ("(devel)" for a build from a checkout), the VCS
revision and time when built from a Git checkout (with "+dirty" for uncommitted changes), and the Go
version and platform.
`

func runVersion(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := commandFlags("version", versionUsage, stderr)
	if stop, err := parseFlags(fs, args, false, stdout); stop {
		return err
	}
	info, ok := debug.ReadBuildInfo()
	fmt.Fprint(stdout, describeBuild(info, ok))
	return nil
}

// describeBuild renders build information, one fact per line.
func describeBuild(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return fmt.Sprintf("ytconform (no build information)\ngo: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	out := fmt.Sprintf("ytconform %s\nmodule: %s\n", version, info.Main.Path)
	var revision, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if revision != "" {
		out += fmt.Sprintf("revision: %s%s", revision, modified)
		if when != "" {
			out += " (" + when + ")"
		}
		out += "\n"
	} else {
		out += "revision: unknown (built outside a Git clone, or with -buildvcs=false)\n"
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return out + fmt.Sprintf("go: %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
}
