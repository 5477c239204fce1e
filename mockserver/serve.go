package mockserver

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// ServerLimits protect the mock from slow, stuck and oversized clients. Each has a documented
// default and a `ytconform mock` flag.
type ServerLimits struct {
	ReadHeaderTimeout time.Duration // to read a request's headers: stops slow-header (slowloris) clients
	ReadTimeout       time.Duration // to read a whole request, body included
	WriteTimeout      time.Duration // to write an answer
	IdleTimeout       time.Duration // a kept-alive connection with no request
	MaxHeaderBytes    int           // a larger header block gets 431
	ShutdownTimeout   time.Duration // how long in-flight requests may finish on shutdown
}

// DefaultServerLimits are generous for any real client and short enough that hung connections are
// reclaimed quickly.
func DefaultServerLimits() ServerLimits {
	return ServerLimits{
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    256 << 10,
		ShutdownTimeout:   5 * time.Second,
	}
}

// Serve serves h on ln until ctx is done, then shuts down gracefully: in-flight requests get
// ShutdownTimeout to finish, and the access log of a handler made by New is written out. It returns nil
// after a clean shutdown.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, lim ServerLimits) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), lim.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if f, ok := h.(interface{ flushAccessLog() }); ok {
		f.flushAccessLog()
	}
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}
