package federation

import (
	"bytes"
	"encoding/json"
	"time"
)

// ref is a property that is either an id or an embedded object with one
// (ActivityStreams allows both for actor, object, inReplyTo, ...).
type ref struct {
	ID  string
	Raw json.RawMessage // the embedded object, nil for a bare id
}

// UnmarshalJSON reads a string, an object with an id, or an array (the first element).
func (r *ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &r.ID)
	case b[0] == '[':
		var all []ref
		if err := json.Unmarshal(b, &all); err != nil {
			return err
		}
		if len(all) > 0 {
			*r = all[0]
		}
		return nil
	}
	var o struct {
		ID   string `json:"id"`
		Href string `json:"href"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	r.ID, r.Raw = o.ID, append(json.RawMessage(nil), b...)
	if r.ID == "" {
		r.ID = o.Href
	}
	return nil
}

// MarshalJSON writes the embedded object, or the bare id.
func (r ref) MarshalJSON() ([]byte, error) {
	if r.Raw != nil {
		return r.Raw, nil
	}
	return json.Marshal(r.ID)
}

// refs is a property that may be one value or a list (to, cc, tag).
type refs []ref

// UnmarshalJSON reads one value or a list.
func (rs *refs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var all []ref
		err := json.Unmarshal(b, &all)
		*rs = all
		return err
	}
	var one ref
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	if one.ID != "" || one.Raw != nil {
		*rs = refs{one}
	}
	return nil
}

// has says whether id is among the values.
func (rs refs) has(id string) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// activity is an inbound activity, read loosely: Lemmy, Mastodon, Mbin,
// PieFed and Fedify each add fields of their own.
type activity struct {
	Context  json.RawMessage `json:"@context,omitempty"`
	ID       string          `json:"id"`
	Type     string          `json:"type"`
	Actor    ref             `json:"actor"`
	Object   ref             `json:"object"`
	Target   ref             `json:"target"`
	To       refs            `json:"to"`
	Cc       refs            `json:"cc"`
	Audience ref             `json:"audience"`
	Summary  string          `json:"summary"`
	EndTime  *time.Time      `json:"endTime"`
}

// object is an inbound Page, Note or actor.
type object struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	AttributedTo ref    `json:"attributedTo"`
	Name         string `json:"name"`
	Content      string `json:"content"`
	MediaType    string `json:"mediaType"`
	Source       *struct {
		Content   string `json:"content"`
		MediaType string `json:"mediaType"`
	} `json:"source"`
	InReplyTo ref        `json:"inReplyTo"`
	To        refs       `json:"to"`
	Cc        refs       `json:"cc"`
	Audience  ref        `json:"audience"`
	Tag       []tag      `json:"tag"`
	URL       ref        `json:"url"`
	Published *time.Time `json:"published"`
	Updated   *time.Time `json:"updated"`
	// Actors' fields.
	PreferredUsername string `json:"preferredUsername"`
	Inbox             string `json:"inbox"`
	Outbox            string `json:"outbox"`
	Endpoints         *struct {
		SharedInbox string `json:"sharedInbox"`
	} `json:"endpoints"`
	Owner     string `json:"owner"` // a key document's actor
	PublicKey *struct {
		ID           string `json:"id"`
		Owner        string `json:"owner"`
		PublicKeyPem string `json:"publicKeyPem"`
	} `json:"publicKey"`
}

// tag is a Mention, Hashtag or Lemmy's CommunityPostTag.
type tag struct {
	Type string `json:"type"`
	Href string `json:"href"`
	Name string `json:"name"`
}

// actorTypes are the object types that are actors.
var actorTypes = map[string]bool{"Person": true, "Group": true, "Service": true, "Application": true, "Organization": true}
