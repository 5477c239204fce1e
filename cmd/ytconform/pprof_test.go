package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPprofServesOnLoopbackOnly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var stderr bytes.Buffer
	require.NoError(t, servePprof(ctx, "127.0.0.1:0", &stderr))
	url := strings.TrimSpace(strings.TrimPrefix(stderr.String(), "pprof: "))
	resp, err := http.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "%s answers", url)

	for _, addr := range []string{"0.0.0.0:0", ":0"} {
		err := servePprof(ctx, addr, &stderr)
		assert.ErrorContains(t, err, "not a loopback address", "%s is refused", addr)
	}
}
