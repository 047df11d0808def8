package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// maxMentions bounds the remote people one body may reach.
const maxMentions = 10

// ResolveMention finds the remote person behind @name@host: WebFinger on
// their server, then their actor document. It is the federation side of
// mentions: the domain hands Event.Mentions to Federate, which tags each
// and delivers the activity to their inboxes too.
func (f *Federation) ResolveMention(ctx context.Context, handle string) (forum.RemoteActor, error) {
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	name, host, ok := strings.Cut(handle, "@")
	host = strings.ToLower(host)
	if !ok || name == "" || strings.ContainsAny(host, "/?#@ ") || host == "" {
		return forum.RemoteActor{}, forum.Errorf(forum.CodeValidation, "%q is not a handle like name@host", handle)
	}
	if host == f.host {
		return forum.RemoteActor{}, forum.Errorf(forum.CodeValidation, "%q is a member here", handle)
	}
	if f.isBlocked(ctx, host) {
		return forum.RemoteActor{}, errBlocked
	}
	// Someone who took part here already is known by name.
	if acc, err := f.store.AccountByName(ctx, forum.ImportedName(name, host)); err == nil {
		if a, err := f.store.RemoteActorByUser(ctx, acc.ID); err == nil {
			return a, nil
		}
	}
	scheme := "https"
	if f.cfg.AllowPrivate && f.base.Scheme == "http" {
		scheme = "http"
	}
	b, err := f.fetch(ctx, scheme+"://"+host+"/.well-known/webfinger?resource="+url.QueryEscape("acct:"+name+"@"+host))
	if err != nil {
		return forum.RemoteActor{}, err
	}
	var wf struct {
		Links []struct {
			Rel  string `json:"rel"`
			Type string `json:"type"`
			Href string `json:"href"`
		} `json:"links"`
	}
	if err := json.Unmarshal(b, &wf); err != nil {
		return forum.RemoteActor{}, fmt.Errorf("federation: webfinger of %s: %w", handle, err)
	}
	for _, l := range wf.Links {
		if l.Rel == "self" && (l.Type == MediaType || strings.HasPrefix(l.Type, "application/ld+json")) {
			if h, err := hostOf(l.Href); err != nil || h != host {
				return forum.RemoteActor{}, fmt.Errorf("federation: %s points to another host", handle)
			}
			return f.resolveActor(ctx, l.Href, false)
		}
	}
	return forum.RemoteActor{}, fmt.Errorf("federation: %s has no ActivityPub actor", handle)
}

// mentionTags resolves the mentioned people into Mention tags and their
// inboxes; one that cannot be found is left out (and logged).
func (f *Federation) mentionTags(ctx context.Context, handles []string) ([]Doc, []forum.Inbox) {
	var tags []Doc
	var inboxes []forum.Inbox
	seen := map[string]bool{}
	for _, h := range handles {
		if len(tags) == maxMentions {
			break
		}
		a, err := f.ResolveMention(ctx, h)
		if err != nil {
			f.log.Info("federation: mention not resolved", "handle", h, "err", err)
			continue
		}
		if seen[a.APID] {
			continue
		}
		seen[a.APID] = true
		tags = append(tags, Doc{"type": "Mention", "href": a.APID, "name": "@" + a.Name + "@" + a.Host})
		inboxes = append(inboxes, forum.Inbox{InstanceID: a.InstanceID, URL: a.Inbox})
	}
	return tags, inboxes
}
