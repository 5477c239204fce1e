// Package yamlerr turns the YAML library's load errors, which speak of Go types, into the project's one
// error form for a configuration file: "FILE:LINE: reason", one per problem, joined by "; ".
package yamlerr

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"
)

var unknownField = regexp.MustCompile(`field (\S+) not found in type .*$`)

// Describe renders err, returned by yaml.Load on the contents of file, as "file:line: reason"; an unknown
// key reads `unknown field "admn"`. An error that carries no position is wrapped as "file: err".
func Describe(file string, err error) error {
	var many *yaml.LoadErrors
	if errors.As(err, &many) {
		lines := make([]string, 0, len(many.Errors))
		for _, e := range many.Errors {
			lines = append(lines, fmt.Sprintf("%s:%d: %s", file, e.Mark.Line, readable(e.Message)))
		}
		return errors.New(strings.Join(lines, "; "))
	}
	var one *yaml.LoadError
	if errors.As(err, &one) {
		return fmt.Errorf("%s:%d: %s", file, one.Mark.Line, readable(one.Message))
	}
	return fmt.Errorf("%s: %w", file, err)
}

func readable(msg string) string { return unknownField.ReplaceAllString(msg, `unknown field "$1"`) }

// Line finds the line of a key in a decoded document: the value of path[0] in the top mapping, then of
// path[1] in that, and so on, where a path element "[i]" indexes a sequence. It returns the line of the
// deepest node found (0 for a nil document), so that an error about a missing field still points at its
// entry.
func Line(doc *yaml.Node, path ...string) int {
	if doc == nil {
		return 0
	}
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, key := range path {
		next := child(n, key)
		if next == nil {
			break
		}
		n, line = next, next.Line
	}
	return line
}

func child(n *yaml.Node, key string) *yaml.Node {
	var index int
	if _, err := fmt.Sscanf(key, "[%d]", &index); err == nil {
		if n.Kind == yaml.SequenceNode && index >= 0 && index < len(n.Content) {
			return n.Content[index]
		}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
