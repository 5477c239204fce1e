// Package ytconform holds the project's contract: the OpenAPI document that the mock server implements and
// that the conformance suite validates every exchange against.
package ytconform

import _ "embed"

// OpenAPI is openapi.yaml, the single contract of the project (OpenAPI 3.0.3, YAML). It is embedded so that the
// mock, the suite and the CLI all read the same bytes, whatever the working directory.
//
//go:embed openapi.yaml
var OpenAPI []byte
