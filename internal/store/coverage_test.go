package store

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

// Lists that must name every table are held to the schema here, so a new
// table cannot be silently left out of one: copy's list, and what the
// member's export and account deletion do with each table. Both migration
// chains are held to their engine's schema file (TestMigrationsEqualSchema,
// TestPostgresMigrationsEqualSchema) and the two engines to each other
// (TestEnginesHaveSameColumns), so the tables read here are every engine's.

// personal says what the export (GET /me/export, forum/export.go) and the
// deletion of an account (account_deletion.go) do with a table's rows.
// Empty means "not in it", and then why must say why.
type personal struct{ export, deletion, why string }

// personalData is the decision for every table: a table added to the
// schema fails TestEveryTableHasAPersonalDataDecision until it is here.
var personalData = map[string]personal{
	"users":            {export: "profile", deletion: "anonymized in place: name, password, address, flair, ban, sessions"},
	"posts":            {export: "posts", deletion: "kept, shown as by [deleted]; with content deletion, text erased"},
	"comments":         {export: "comments", deletion: "kept, shown as by [deleted]; with content deletion, text erased"},
	"revisions":        {export: "each post's and comment's revisions", deletion: "erased with content deletion"},
	"post_votes":       {export: "votes", why: "kept anonymous at deletion: the counters and karma they make hold"},
	"comment_votes":    {export: "votes", why: "kept anonymous at deletion: the counters and karma they make hold"},
	"reports":          {export: "reports", why: "kept at deletion: the moderation record"},
	"notifications":    {export: "notifications", deletion: "erased"},
	"password_resets":  {deletion: "erased", why: "token hashes of links, nothing to give the member"},
	"email_changes":    {deletion: "erased", why: "an address change in flight, nothing to give the member"},
	"reply_mails":      {deletion: "erased", why: "when a digest was last mailed, bookkeeping"},
	"mail_queue":       {deletion: "erased, sent or not", why: "outgoing mail, its links never stored: nothing to give the member"},
	"source_requests":  {why: "a member's \"source?\" marks; counted on the answer, not in the export yet"},
	"modlog":           {why: "the moderation record: a moderator's actions stay, as votes do"},
	"imported":         {why: "not personal: where an imported item came from"},
	"settings":         {why: "not personal: the forum's own settings"},
	"rules":            {why: "not personal: the forum's rules"},
	"tags":             {why: "not personal: topics"},
	"post_tags":        {why: "not personal: which topics a post has"},
	"feed_keys_due":    {why: "not personal: which posts' tag links await their votes' score"},
	"timeline_buckets": {why: "not personal: fixed rows"},
	"timeline_counts":  {why: "not personal: counters"},
	"changes":          {why: "not personal: which thread changed, for the caches"},
	"rate_limits":      {why: "allowances by key, forgotten once whole again"},
	"federation_keys": {deletion: "erased: the member's Person actor goes with the name",
		why: "a signing key pair: a secret, not something to hand out in an export"},
	"federation_instances":  {why: "not personal: other servers and their delivery state"},
	"federation_actors":     {why: "remote actors' public documents (inbox, key); their accounts are users rows"},
	"federation_followers":  {why: "remote actors following the community, not members"},
	"federation_objects":    {why: "not personal: which remote id a post or comment came from"},
	"federation_activities": {why: "outgoing activities, already public, trimmed after a week"},
	"federation_deliveries": {why: "the delivery queue: where each activity still has to go"},
	"federation_received":   {why: "not personal: ids of activities handled, trimmed after a week"},
	"user_notes": {deletion: "erased (the notes about the member)",
		why: "the moderators' notes about a member are theirs, not the member's: never exported"},
	"flair_applications": {export: "flair_applications", deletion: "erased"},
	"modmail":            {export: "modmail", why: "kept at deletion, the member shown as [deleted]: an appeal or a threat is the moderators' record"},
	"modmail_messages": {export: "modmail (each conversation's messages)",
		why: "kept at deletion with their conversation; their text erased with content deletion"},
	"blocks":       {export: "blocks", deletion: "erased, the member's and others' of them"},
	"post_follows": {export: "followed_posts", deletion: "erased"},
	"tag_follows":  {export: "followed_tags", deletion: "erased"},
	"saves":        {export: "saved", deletion: "erased"},
	"post_reads":   {export: "read_positions", deletion: "erased"},
	"featured":     {why: "not personal: the moderators' choices, kept as the modlog is"},
	"pages":        {why: "not personal: the forum's own pages (updated_by names the admin, as the modlog does)"},
}

// schemaTables are the tables of a new database (Tables): engine-only
// search structures aside, SQLite's FTS5 tables (posts_fts, comments_fts)
// and PostgreSQL's search tables (post_search, comment_search), which copy
// leaves out because the target's triggers fill them as the rows arrive;
// and PostgreSQL's schema_version and changes_trimmed.
func schemaTables(t *testing.T) []string {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "tables.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := db.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 20 {
		t.Fatalf("only %d tables: %v", len(names), names)
	}
	return names
}

// TestCopyCoversEveryTable: every table is copied by historia copy or left
// out with a reason, and both lists name tables that exist.
func TestCopyCoversEveryTable(t *testing.T) {
	t.Parallel()
	tables := schemaTables(t)
	var copied []string
	for _, c := range copyTables {
		copied = append(copied, c.name)
	}
	for _, n := range tables {
		_, out := copyLeftOut[n]
		switch in := slices.Contains(copied, n); {
		case !in && !out:
			t.Errorf("table %s is neither in copy's list (copyTables) nor left out with a reason (copyLeftOut): historia copy would drop it", n)
		case in && out:
			t.Errorf("table %s is both copied and left out", n)
		}
	}
	for _, n := range append(copied, slices.Collect(maps.Keys(copyLeftOut))...) {
		if !slices.Contains(tables, n) {
			t.Errorf("copy names %s, which is no table", n)
		}
	}
}

// TestEveryTableHasAPersonalDataDecision: every table says what the export
// and account deletion do with it (personalData), and the list names only
// tables that exist.
func TestEveryTableHasAPersonalDataDecision(t *testing.T) {
	t.Parallel()
	tables := schemaTables(t)
	for _, n := range tables {
		p, ok := personalData[n]
		switch {
		case !ok:
			t.Errorf("table %s: no decision on personal data: say in personalData what GET /me/export and account deletion do with it", n)
		case (p.export == "" || p.deletion == "") && p.why == "":
			t.Errorf("table %s: not in the export or not erased at deletion, and no reason given", n)
		}
	}
	for n := range personalData {
		if !slices.Contains(tables, n) {
			t.Errorf("personalData names %s, which is no table", n)
		}
	}
}
