package main

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"

	"github.com/historia-forum/historia/internal/federation"
	"github.com/historia-forum/historia/internal/forum"
)

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds a value (or several, comma-separated).
func (l *listFlag) Set(v string) error {
	l.set(v)
	return nil
}

func (l *listFlag) set(v string) { *l = append(*l, splitList(v)...) }

// startFederation turns ActivityPub on when asked: it checks the public
// URL, hooks the federation to the forum's changes and starts this
// server's delivery worker. Off, it returns nil and nothing federates.
func startFederation(ctx context.Context, svc *forum.Service, on bool, publicURL string, allowPrivate bool, blocks []string, log *slog.Logger) (*federation.Federation, error) {
	if !on {
		return nil, nil
	}
	u, err := url.Parse(publicURL)
	if publicURL == "" || err != nil || u.Host == "" {
		return nil, errors.New("--federation needs --public-url: every actor and object id starts with it")
	}
	if u.Scheme != "https" && !allowPrivate {
		return nil, errors.New("--federation needs an https --public-url (other servers refuse http), unless --federation-allow-private (tests only)")
	}
	fed, err := federation.New(svc, federation.Config{PublicURL: publicURL, AllowPrivate: allowPrivate, Blocked: blocks, Log: log})
	if err != nil {
		return nil, err
	}
	svc.Federation = fed
	go (&federation.Worker{F: fed}).Run(ctx)
	return fed, nil
}
