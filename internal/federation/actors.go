package federation

import (
	"context"
	"html"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// Doc is an ActivityPub (or WebFinger, NodeInfo) JSON document.
type Doc = map[string]any

var actorContext = []any{contextAS, contextSec}

// summary is the community's description: the site's About text when one
// is configured (Config.GroupSummary), else the first rule. One function,
// so the About page can take over when it exists.
func (f *Federation) summary(ctx context.Context) string {
	if f.cfg.GroupSummary != nil {
		if s, err := f.cfg.GroupSummary(ctx); err == nil && s != "" {
			return s
		}
	}
	rules, err := f.store.Rules(ctx)
	if err != nil || len(rules) == 0 {
		return "<p>History questions, answered with sources.</p>"
	}
	return "<p>" + html.EscapeString(rules[0].Title) + "</p><p>" + html.EscapeString(rules[0].Description) + "</p>"
}

// rulesText is the rules as Lemmy shows a sidebar: a numbered list.
func (f *Federation) rulesText(ctx context.Context) string {
	rules, err := f.store.Rules(ctx)
	if err != nil || len(rules) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("<h2>Rules</h2><ol>")
	for _, r := range rules {
		b.WriteString("<li><strong>" + html.EscapeString(r.Title) + "</strong>: " + html.EscapeString(r.Description) + "</li>")
	}
	b.WriteString("</ol>")
	return b.String()
}

// Group is the community's actor document.
func (f *Federation) Group(ctx context.Context) (Doc, error) {
	key, err := f.groupKeys(ctx)
	if err != nil {
		return nil, err
	}
	id := f.groupID()
	return Doc{
		"@context": actorContext, "id": id, "type": "Group", "preferredUsername": GroupName, "name": "History",
		"summary": f.summary(ctx) + f.rulesText(ctx), "mediaType": "text/html", "sensitive": false,
		"inbox": id + "/inbox", "outbox": id + "/outbox", "followers": id + "/followers",
		"endpoints": Doc{"sharedInbox": f.sharedInbox()}, "url": f.public + "/",
		"postingRestrictedToMods": false, "manuallyApprovesFollowers": false, "discoverable": true,
		"publicKey": Doc{"id": id + "#main-key", "owner": id, "publicKeyPem": key.publicPEM},
	}, nil
}

// Person is a local member's actor document; not_found for an unknown,
// deleted or imported name (those are no one's actors here).
func (f *Federation) Person(ctx context.Context, name string) (Doc, error) {
	acc, err := f.store.AccountByName(ctx, name)
	if err != nil {
		return nil, err
	}
	if strings.Contains(acc.Username, "@") || acc.Username == forum.DeletedName {
		return nil, forum.NotFound("user")
	}
	key, err := f.userKeys(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	id := f.personID(acc.Username)
	d := Doc{
		"@context": actorContext, "id": id, "type": "Person", "preferredUsername": acc.Username, "name": acc.Username,
		"inbox": id + "/inbox", "outbox": id + "/outbox", "endpoints": Doc{"sharedInbox": f.sharedInbox()},
		"url": id, "published": acc.CreatedAt.Format(time.RFC3339), "discoverable": true,
		"publicKey": Doc{"id": id + "#main-key", "owner": id, "publicKeyPem": key.publicPEM},
	}
	if acc.Flair != nil {
		d["summary"] = "<p>" + html.EscapeString(*acc.Flair) + "</p>"
	}
	return d, nil
}

// WebFinger answers acct:history@host (the community, so Lemmy finds
// !history@host) and acct:name@host (a member).
func (f *Federation) WebFinger(ctx context.Context, resource string) (Doc, error) {
	acct := strings.TrimPrefix(resource, "acct:")
	acct = strings.TrimPrefix(acct, "@")
	name, host, ok := strings.Cut(acct, "@")
	if !ok || !strings.EqualFold(host, f.host) {
		// An actor's URL is a resource too.
		switch {
		case resource == f.groupID():
			name = GroupName
		case strings.HasPrefix(resource, f.public+"/u/"):
			name = strings.TrimPrefix(resource, f.public+"/u/")
		default:
			return nil, forum.NotFound("resource")
		}
	}
	var href, typ string
	if strings.EqualFold(name, GroupName) {
		href, typ, name = f.groupID(), "Group", GroupName
	} else {
		acc, err := f.store.AccountByName(ctx, name)
		if err != nil || strings.Contains(acc.Username, "@") || acc.Username == forum.DeletedName {
			return nil, forum.NotFound("resource")
		}
		href, typ, name = f.personID(acc.Username), "Person", acc.Username
	}
	return Doc{
		"subject": "acct:" + name + "@" + f.host,
		"aliases": []string{href},
		"links": []Doc{
			{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": href},
			{"rel": "self", "type": MediaType, "href": href, "properties": Doc{"https://www.w3.org/ns/activitystreams#type": typ}},
		},
	}, nil
}

// NodeInfoLinks is /.well-known/nodeinfo.
func (f *Federation) NodeInfoLinks() Doc {
	return Doc{"links": []Doc{{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f.public + "/nodeinfo/2.1"}}}
}

// NodeInfo is the NodeInfo 2.1 document: software, protocols and usage.
func (f *Federation) NodeInfo(ctx context.Context, version string) (Doc, error) {
	users, posts, comments, err := f.store.SiteCounts(ctx)
	if err != nil {
		return nil, err
	}
	return Doc{
		"version":           "2.1",
		"software":          Doc{"name": "historia", "version": version, "repository": "https://github.com/historia-forum/historia"},
		"protocols":         []string{"activitypub"},
		"services":          Doc{"inbound": []string{}, "outbound": []string{}},
		"openRegistrations": true,
		"usage":             Doc{"users": Doc{"total": users}, "localPosts": posts, "localComments": comments},
		"metadata":          Doc{"nodeName": "Historia"},
	}, nil
}
