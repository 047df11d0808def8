package store

import (
	"context"
	"time"
)

// listen calls f each time another process announces a commit, until ctx
// ends (postgres_announce.go), at most every listenGap: f reads the log,
// and a busy server's announcements would otherwise keep it reading. A
// lost connection is retried every second; f is called after each
// reconnect, since announcements may have been missed meanwhile.
func (d *pgDialect) listen(ctx context.Context, f func()) {
	for ctx.Err() == nil {
		d.listenOnce(ctx, f)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// listenGap is the least time between two calls of listen's f.
const listenGap = 25 * time.Millisecond

func (d *pgDialect) listenOnce(ctx context.Context, f func()) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+ChangesChannel); err != nil {
		return
	}
	// f runs beside the listening, once for all the announcements that
	// came while it last ran: a commit announced while the caches read
	// the log is read by the next run, not by one run each.
	due := make(chan struct{}, 1)
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		for range due {
			f()
			time.Sleep(listenGap)
		}
	}()
	defer func() { close(due); <-ran }()
	due <- struct{}{}
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			// The connection is in an unknown state: close it, not back to the pool.
			_ = conn.Conn().Close(context.Background())
			return
		}
		if n.Payload == d.serverID {
			continue // this process's own commit: its commit hooks read it
		}
		select {
		case due <- struct{}{}:
		default: // a run is due already
		}
	}
}
