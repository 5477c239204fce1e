package diff

import (
	"cmp"
	"slices"
	"strings"
)

// group is one operation's differences, as every writer lists them.
type group struct {
	Operation   string
	Differences []*Difference
}

// groupDifferences groups ds by operation: the operation with the most distinct differences first (ties:
// the most exchanges, then by name), and within one by kind in kindOrder, then path.
func groupDifferences(ds []*Difference) []group {
	var gs []group
	at := map[string]int{}
	for _, d := range ds {
		i, ok := at[d.Operation]
		if !ok {
			i = len(gs)
			at[d.Operation] = i
			gs = append(gs, group{Operation: d.Operation})
		}
		gs[i].Differences = append(gs[i].Differences, d)
	}
	for _, g := range gs {
		slices.SortStableFunc(g.Differences, func(x, y *Difference) int {
			return cmp.Or(byKind(x.Kind, y.Kind), strings.Compare(x.Path, y.Path))
		})
	}
	slices.SortStableFunc(gs, func(x, y group) int {
		return cmp.Or(len(y.Differences)-len(x.Differences), seen(y)-seen(x), strings.Compare(x.Operation, y.Operation))
	})
	return gs
}

func seen(g group) int {
	n := 0
	for _, d := range g.Differences {
		n += len(d.Seen)
	}
	return n
}

// summary is a result's last line: "2 differences in 1 operation; 14 exchanges compared, 3 ignored paths".
func summary(r *Result) string {
	rest := plural(r.Counts.Exchanges, "exchange") + " compared, " + plural(r.Counts.IgnoredPaths, "ignored path")
	if r.Counts.Differences == 0 {
		return "no difference: " + rest
	}
	return plural(r.Counts.Differences, "difference") + " in " + plural(r.Counts.Operations, "operation") + "; " + rest
}

// label is what a difference is about, as a line shows it, saying nothing twice: "keys body[*].leader",
// "header Server", "status", "content-type".
func (d *Difference) label() string {
	switch {
	case d.Path == "" || d.Path == string(d.Kind) || d.Kind == KindContentType:
		return string(d.Kind)
	case strings.HasPrefix(d.Path, string(d.Kind)+" "):
		return d.Path
	}
	return string(d.Kind) + " " + d.Path
}

func kindsText(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
