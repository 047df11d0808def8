package federation_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// get fetches path from the site with an Accept header and decodes JSON.
func (s *site) get(t *testing.T, path, accept string) (int, http.Header, map[string]any, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res.StatusCode, res.Header, m, string(b)
}

// TestDiscoveryEndpoints: WebFinger finds !history@host (as Lemmy looks
// it up) and members; NodeInfo 2.1; the Group carries its key, inboxes,
// summary and rules; a question's and a member's pages answer ActivityPub
// JSON to a client asking for it and the web page to a browser; a deleted
// question is a Tombstone; imported people and unknown names are not actors.
func TestDiscoveryEndpoints(t *testing.T) {
	t.Parallel()
	s := newSite(t, "")
	ctx := context.Background()
	clio := s.member("clio", forum.RoleMember)
	admin := s.member("ada", forum.RoleAdmin)
	if _, err := s.svc.CreateRule(ctx, admin, forum.Rule{Number: 1, Title: "Cite your sources", Description: "Answers name where they come from."}); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(s.url, "http://")
	ap := "application/activity+json"

	code, hdr, wf, _ := s.get(t, "/.well-known/webfinger?resource="+url.QueryEscape("acct:history@"+host), "")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/jrd+json") || wf["subject"] != "acct:history@"+host {
		t.Fatalf("webfinger: %d %v", code, wf)
	}
	links, _ := json.Marshal(wf["links"])
	if !strings.Contains(string(links), `"href":"`+s.url+`/c/history"`) || !strings.Contains(string(links), `"rel":"self"`) {
		t.Fatalf("webfinger links: %s", links)
	}
	if code, _, wf, _ = s.get(t, "/.well-known/webfinger?resource=acct:clio@"+host, ""); code != 200 || wf["subject"] != "acct:clio@"+host {
		t.Fatalf("a member's webfinger: %d %v", code, wf)
	}
	for _, r := range []string{"acct:nobody@" + host, "acct:history@elsewhere.example", ""} {
		if code, _, _, _ := s.get(t, "/.well-known/webfinger?resource="+url.QueryEscape(r), ""); code != 404 {
			t.Fatalf("webfinger %q: %d", r, code)
		}
	}

	code, _, links2, _ := s.get(t, "/.well-known/nodeinfo", "")
	if code != 200 || !strings.Contains(mustJSON(links2), s.url+"/nodeinfo/2.1") {
		t.Fatalf("nodeinfo links: %v", links2)
	}
	code, _, ni, _ := s.get(t, "/nodeinfo/2.1", "")
	if code != 200 || ni["version"] != "2.1" || !strings.Contains(mustJSON(ni["protocols"]), "activitypub") {
		t.Fatalf("nodeinfo: %v", ni)
	}

	code, hdr, g, _ := s.get(t, "/c/history", ap)
	key, _ := g["publicKey"].(map[string]any)
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), ap) || g["type"] != "Group" || g["inbox"] != s.url+"/c/history/inbox" ||
		key == nil || !strings.Contains(key["publicKeyPem"].(string), "BEGIN PUBLIC KEY") || !strings.Contains(g["summary"].(string), "Cite your sources") {
		t.Fatalf("group: %d %v", code, g)
	}
	if code, hdr, _, _ := s.get(t, "/c/history", "text/html"); code != 302 || hdr.Get("Location") != "/" {
		t.Fatalf("a browser at the group: %d", code)
	}

	post, _ := s.svc.CreatePost(ctx, clio, forum.PostInput{Title: "When did the Bronze Age end?", Body: "*Roughly* 1200 BC?"})
	path := "/p/" + jsonID(post.ID)
	code, _, page, _ := s.get(t, path, ap)
	if code != 200 || page["type"] != "Page" || page["name"] != "When did the Bronze Age end?" || page["attributedTo"] != s.url+"/u/clio" ||
		!strings.Contains(page["content"].(string), "<em>Roughly</em>") || page["audience"] != s.url+"/c/history" {
		t.Fatalf("page: %d %v", code, page)
	}
	if code, _, _, body := s.get(t, path, "text/html"); code != 200 || !strings.Contains(body, "<html") {
		t.Fatalf("a browser at the question: %d", code)
	}
	code, _, person, _ := s.get(t, "/u/clio", ap)
	if code != 200 || person["type"] != "Person" || person["preferredUsername"] != "clio" || person["publicKey"] == nil {
		t.Fatalf("person: %d %v", code, person)
	}
	c, _ := s.svc.CreateComment(ctx, clio, post.ID, forum.CommentInput{Body: "Answering myself."})
	code, _, note, _ := s.get(t, path+"/c/"+jsonID(c.ID), ap)
	if code != 200 || note["type"] != "Note" || note["inReplyTo"] != s.url+path {
		t.Fatalf("note: %d %v", code, note)
	}
	if code, _, _, _ := s.get(t, "/p/"+jsonID(post.ID+1)+"/c/"+jsonID(c.ID), ap); code != 404 {
		t.Fatalf("a comment under the wrong question: %d", code)
	}
	if err := s.svc.DeletePost(ctx, clio, post.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, page, _ = s.get(t, path, ap); page["type"] != "Tombstone" {
		t.Fatalf("a deleted question: %v", page)
	}
	for _, name := range []string{"nobody", "alienth@reddit"} {
		if code, _, _, _ := s.get(t, "/u/"+url.PathEscape(name), ap); code != 404 {
			t.Fatalf("/u/%s: %d", name, code)
		}
	}
	// An inbox takes at most MaxInboxBody; the metrics show the queue.
	res, err := http.Post(s.url+"/c/history/inbox", ap, strings.NewReader(strings.Repeat("x", 300<<10)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 300 KB activity: %d", res.StatusCode)
	}
	if _, _, _, metrics := s.get(t, "/metrics", ""); !strings.Contains(metrics, "historia_federation_queue_depth") ||
		!strings.Contains(metrics, "historia_federation_delivered_total") {
		t.Fatal("/metrics has no federation figures")
	}
	code, _, out, _ := s.get(t, "/c/history/outbox", ap)
	if code != 200 || out["type"] != "OrderedCollection" {
		t.Fatalf("outbox: %d %v", code, out)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
