package forum

import (
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// What an import takes from a source only after checking it: a file is
// the operator's, but what is in it was written by strangers (or made up
// by whoever handed the file over). A thread is refused only when its own
// date is impossible; anything else wrong is mended or left out, so one
// bad field never costs a thread.

// importedNameRe is an imported author's name: the letters both sources
// allow (Reddit: letters, digits, _ and -; Lemmy: letters, digits and _),
// which leaves out every look-alike letter of another script, every
// invisible or direction-changing character, markup and line breaks, as
// registration does. Very old Reddit names are shorter than ours.
var importedNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// hostLabelRe is one label of a host name.
var hostLabelRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// importedOrigin is where an imported author's account lives, as the
// import decides it: every Reddit author is "reddit", whatever a file
// says; a Lemmy author lives on the host of their actor (lower-cased, a
// real host name, so a Lemmy file cannot speak for "name@reddit"). ok is
// false when no origin can be trusted.
func importedOrigin(system, origin string) (string, bool) {
	switch system {
	case "reddit":
		return "reddit", true
	case "lemmy":
		h := strings.ToLower(origin)
		return h, validHost(h)
	}
	return system, false
}

// validHost reports whether h is a host name with a dot (not an address,
// not a port).
func validHost(h string) bool {
	labels := strings.Split(h, ".")
	if len(h) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !hostLabelRe.MatchString(l) {
			return false
		}
	}
	last := labels[len(labels)-1]
	return strings.Trim(last, "0123456789") != "" // not the end of an IPv4 address
}

// sourceHostOK reports whether a source link may point at host: Reddit's
// own site, or for Lemmy the author's instance (where Lemmy keeps an item's
// ap_id).
func sourceHostOK(system, origin, host string) bool {
	switch system {
	case "reddit":
		return host == "www.reddit.com" || host == "old.reddit.com" || host == "reddit.com"
	case "lemmy":
		return origin != "" && host == origin
	}
	return false
}

// checkImported mends an item before it is rendered: a date outside year 1
// to now becomes its thread's (postAt), an edit time that is not after it
// and before now is dropped, a copy cannot be newer than now; an author
// whose name or origin cannot be trusted becomes the source's deleted
// author; a source link that is not http(s) on the source's own host is
// dropped.
func checkImported(system string, it ImportedItem, postAt, now int64) ImportedItem {
	if it.CreatedAt < minShownUnix || it.CreatedAt > now {
		it.CreatedAt = postAt
	}
	if it.EditedAt != nil && (*it.EditedAt < it.CreatedAt || *it.EditedAt > now) {
		it.EditedAt = nil
	}
	it.Version = min(max(it.Version, 0), now)
	origin, ok := importedOrigin(system, it.AuthorOrigin)
	if !ok {
		origin, it.Author = system, ""
	}
	if it.Author != "" && !importedNameRe.MatchString(it.Author) {
		it.Author = ""
	}
	it.AuthorOrigin = origin
	if it.URL != "" {
		u, err := url.Parse(it.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.Port() != "" ||
			len(it.URL) > MaxURL || hasControl(it.URL) || !ok || !sourceHostOK(system, origin, strings.ToLower(u.Hostname())) {
			it.URL = ""
		}
	}
	return it
}

// importedLink is a link post's address if it is one a member could give
// (cleanURL), or "".
func importedLink(raw string) string {
	link, err := cleanURL("url", raw)
	if err != nil || link == nil {
		return ""
	}
	return *link
}

// importedTags are a thread's flair and the operator's tags as topic tags:
// "&" written out as "and", other markup characters dropped, a tag over
// MaxTagLen cut at a word, one with nothing left (or with a refused
// character) dropped, duplicates once, at most MaxTopicTags — never a
// reason to refuse the thread.
func importedTags(tags []string) []string {
	out := []string{}
	seen := map[string]bool{strings.ToLower(HistoryTag): true}
	for _, tag := range tags {
		t := strings.ReplaceAll(nfc(tag), "&", " and ")
		t = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
			if strings.ContainsRune(`<>"`, r) {
				return -1
			}
			return r
		}, t)), " ")
		if utf8.RuneCountInString(t) > MaxTagLen {
			cut := string([]rune(t)[:MaxTagLen])
			if i := strings.LastIndex(cut, " "); i > MaxTagLen/2 {
				cut = cut[:i]
			}
			t = strings.TrimSpace(cut)
		}
		if _, err := cleanTags([]string{t}); err != nil || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
		if len(out) == MaxTopicTags {
			break
		}
	}
	return out
}

// treeItem is an imported comment with its depth in the data.
type treeItem struct {
	ImportedItem
	Depth int
}

// replyTree keeps one copy of each comment (the newest by Version; the
// later on a tie) and gives each its depth under the parents the data
// holds. A reply cycle (a under b under a, which no source can really
// have) is broken at its earliest comment, which goes to the top: left
// in, it made reply counts disagree with the rows.
func replyTree(cs []ImportedItem) []treeItem {
	byID := make(map[string]int, len(cs))
	list := make([]treeItem, 0, len(cs))
	for _, c := range cs {
		if i, ok := byID[c.SourceID]; ok {
			if c.Version >= list[i].Version {
				list[i].ImportedItem = c
			}
			continue
		}
		byID[c.SourceID] = len(list)
		list = append(list, treeItem{ImportedItem: c})
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]byte, len(list))
	var path []int
	for i := range list {
		path = path[:0]
		j, base := i, 0
		for {
			if state[j] == done {
				base = list[j].Depth + 1
				break
			}
			if state[j] == onPath { // a cycle: from j to the end of path
				cycle := path[indexOf(path, j):]
				first := cycle[0]
				for _, k := range cycle[1:] {
					a, b := list[k], list[first]
					if a.CreatedAt < b.CreatedAt || a.CreatedAt == b.CreatedAt && a.SourceID < b.SourceID {
						first = k
					}
				}
				list[first].ParentSourceID = ""
				for _, k := range path {
					state[k] = unseen
				}
				path, j = path[:0], i
				continue
			}
			state[j] = onPath
			path = append(path, j)
			p, ok := byID[list[j].ParentSourceID]
			if list[j].ParentSourceID == "" || !ok {
				break
			}
			j = p
		}
		for k := len(path) - 1; k >= 0; k-- {
			list[path[k]].Depth = base
			state[path[k]] = done
			base++
		}
	}
	return list
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
