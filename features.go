package ytconform

import "embed"

// Features holds the Gherkin features, so that `ytconform run` works from any directory without the
// source tree.
//
//go:embed features/*.feature
var Features embed.FS
