// Package ytconform holds the project's contract: the OpenAPI document that the mock server implements and
// that the conformance suite validates every exchange against, and the Gherkin features that describe the
// behaviour in words.
package ytconform

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"

	"go.yaml.in/yaml/v4"
)

// OpenAPI is openapi.yaml, the single contract of the project (OpenAPI 3.0.3, YAML). It is embedded so that the
// mock, the suite and the CLI all read the same bytes, whatever the working directory.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Features holds the Gherkin features, so that `ytconform run` works from any directory without the
// source tree.
//
//go:embed features/*.feature
var Features embed.FS

// OpenAPIJSON returns the contract rendered as JSON, as the mock serves it at /api/openapi.json. It is
// rendered once per process; callers must not modify the bytes.
var OpenAPIJSON = sync.OnceValues(func() ([]byte, error) {
	var doc any
	if err := yaml.Load(OpenAPI, &doc); err != nil {
		return nil, fmt.Errorf("render openapi.yaml as JSON: %w", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("render openapi.yaml as JSON: %w", err)
	}
	return data, nil
})
