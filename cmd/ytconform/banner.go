package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ytconform/ytconform/mockserver"
)

// printBanner is the one place the mock shows tokens: they are fixture data, printed so that a developer
// can copy them. It also names the control API and the active faults.
func printBanner(w io.Writer, baseURL string, f *mockserver.Fixtures, opts mockserver.Options) {
	fmt.Fprintf(w, "ytconform mock serving %s\n", baseURL)
	if opts.BasePath != "" {
		fmt.Fprintf(w, "layout: YouTrack under %s, the Hub at the origin's /hub; other paths answer the web app's HTML\n", opts.BasePath)
	}
	fmt.Fprintf(w, "guest access: %s; legacy API %s", f.Guest.Access, f.Server.LegacyAPI)
	if len(f.Server.CORSOrigins) > 0 {
		fmt.Fprintf(w, "; CORS origins %s", strings.Join(f.Server.CORSOrigins, ", "))
	}
	if f.Server.RevocationDelay > 0 {
		fmt.Fprintf(w, "; a revoked token works for %s more", f.Server.RevocationDelay)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "tokens:")
	printTokens(w, f)
	fmt.Fprintf(w, "try: curl -H 'Authorization: Bearer <token>' '%s/api/admin/projects?fields=id,name,shortName'\n", baseURL)
	origin := strings.TrimSuffix(baseURL, opts.BasePath) // the control API stays at the origin
	if opts.JournalSize > 0 {
		fmt.Fprintf(w, "control API: %s/__ytmock/health, /__ytmock/requests (last %d requests), POST /__ytmock/reset\n", origin, opts.JournalSize)
	} else {
		fmt.Fprintf(w, "control API: %s/__ytmock/health, POST /__ytmock/reset (no journal)\n", origin)
	}
	if faults := describeFaults(opts.Faults); faults != "" {
		fmt.Fprintf(w, "faults: %s (never on /api/config or /__ytmock/)\n", faults)
	}
}

// printTokens lists every fixture token with its user and the role the suite gives it (Fixtures.Roles).
func printTokens(w io.Writer, f *mockserver.Fixtures) {
	roles := f.Roles()
	role := func(t mockserver.Token) string {
		switch {
		case t.Revoked:
			return "revoked"
		case roles.Admin != nil && t.Token == roles.Admin.Token:
			return "admin, reads every project"
		case roles.Restricted != nil && t.Token == roles.Restricted.Token:
			return "restricted, reads " + shortList(roles.Restricted.Projects)
		case roles.Banned != nil && t.Token == roles.Banned.Token:
			return "banned"
		}
		return "another token"
	}
	for _, t := range f.Tokens {
		fmt.Fprintf(w, "  %-10s %s (%s)\n", t.User, t.Token, role(t))
	}
}

// shortList prints a list of project short names, the first few only when there are many (with
// --synthetic-projects a user may read tens of thousands).
func shortList(names []string) string {
	const shown = 8
	if len(names) <= shown {
		return fmt.Sprint(names)
	}
	return fmt.Sprintf("%v... (%d projects)", names[:shown], len(names))
}

func describeFaults(f mockserver.Faults) string {
	var active []string
	if f.Latency > 0 || f.Jitter > 0 {
		active = append(active, fmt.Sprintf("latency %s + up to %s", f.Latency, f.Jitter))
	}
	if f.Kind != "" {
		active = append(active, fmt.Sprintf("fault %s on %g of requests", f.Kind, f.Rate))
	}
	if len(f.Paths) > 0 {
		active = append(active, "on paths "+strings.Join(f.Paths, ", "))
	}
	if f.AllowHeader {
		active = append(active, "X-Ytmock-Fault header honoured")
	}
	return strings.Join(active, "; ")
}
