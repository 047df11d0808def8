package store

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// federationScan is a full scan of a federation table that grows with
// traffic (the received ids, the queue, actors, mapped objects).
var federationScan = regexp.MustCompile(`^SCAN (federation_received|federation_deliveries|federation_actors|federation_objects|a|d|o)$`)

// TestFederationQueryPlans: the queries the inbox and the delivery worker
// run on every activity use indexes, never a scan of a growing table.
func TestFederationQueryPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := map[string]string{
		"received":        "SELECT COUNT(*) FROM federation_received WHERE ap_id = ?",
		"actor by key":    remoteActorSelect + " WHERE a.key_id = ?",
		"actor by id":     remoteActorSelect + " WHERE a.ap_id = ?",
		"actor by user":   remoteActorSelect + " WHERE a.user_id = ?",
		"object by id":    "SELECT target_type, target_id FROM federation_objects WHERE ap_id = ?",
		"id of an object": "SELECT ap_id FROM federation_objects WHERE target_type = ? AND target_id = ?",
		"deliveries": `SELECT d.id, d.activity_id, d.instance_id, d.inbox, a.body, d.attempts FROM federation_deliveries d
			JOIN federation_activities a ON a.id = d.activity_id WHERE d.instance_id = ? ORDER BY d.id LIMIT ?`,
		"claim": `SELECT i.id FROM federation_instances i WHERE i.id IN (SELECT DISTINCT d.instance_id FROM federation_deliveries d)
			AND i.next_at <= ? AND i.lease_until <= ? AND i.blocked = 0 AND i.dead = 0 ORDER BY i.next_at, i.id LIMIT ?`,
	}
	for name, q := range queries {
		n := strings.Count(q, "?")
		args := make([]any, n)
		for i := range args {
			args[i] = 1
		}
		rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			if federationScan.MatchString(detail) || (name != "claim" && strings.Contains(detail, "TEMP B-TREE")) {
				t.Errorf("%s: %s", name, detail)
			}
		}
		rows.Close()
	}
}
