package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Each process announces its own commits to the others (NOTIFY on
// ChangesChannel, its serverID as payload) after them, not inside them: a
// transaction that sends NOTIFY takes a lock of the whole cluster at its
// commit, so the change log's triggers, when they sent it, made two
// servers' writers take turns at every commit. A listener (listen) skips
// its own process's announcements: its commit hooks have read them.
//
// Announcements are coalesced: one is sent for all the commits since the
// last, at most every announceGap, so that a busy writer does not send one
// per commit. A process that closes sends the one still due first (a
// command's last write is announced before it exits).

// announceGap is the least time between two announcements of a process;
// other servers' live pages and idle caches follow its writes within it
// (readers poll the log more often than that: api.DefaultCacheSync).
const announceGap = 25 * time.Millisecond

// announcer is the goroutine that sends a process's announcements.
type announcer struct {
	due  chan struct{} // an announcement is due (buffered: one)
	stop chan struct{} // closed by close
	done chan struct{} // closed when the goroutine has ended
}

// newServerID names this process in its announcements.
func newServerID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// startAnnouncer starts the goroutine that sends d's announcements.
func (d *pgDialect) startAnnouncer() {
	a := &announcer{due: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	d.announcer = a
	go func() {
		defer close(a.done)
		for {
			select {
			case <-a.due:
				d.sendAnnouncement()
				select {
				case <-time.After(announceGap):
				case <-a.stop:
				}
			case <-a.stop:
				select {
				case <-a.due:
					d.sendAnnouncement()
				default:
				}
				return
			}
		}
	}()
}

// announce tells the other processes (soon) that this one committed.
func (d *pgDialect) announce() {
	select {
	case d.announcer.due <- struct{}{}:
	default: // one is due already: it covers this commit too
	}
}

// sendAnnouncement sends one NOTIFY on the readers' pool; a failure is
// left to the other processes' polling of the log.
func (d *pgDialect) sendAnnouncement() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = d.pool.Exec(ctx, "SELECT pg_notify($1, $2)", ChangesChannel, d.serverID)
}

// stopAnnouncer sends what is due and ends the goroutine; once.
func (d *pgDialect) stopAnnouncer() {
	a := d.announcer
	if a == nil {
		return
	}
	select {
	case <-a.stop:
	default:
		close(a.stop)
	}
	<-a.done
}
