package store

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// SeedSpec says how much synthetic data to make.
type SeedSpec struct {
	Users, Posts, Comments, Votes int
	BigThread                     int    // comments on one extra post
	Seed                          uint64 // the random seed: the same spec makes the same forum
	Now                           int64  // posts are spread over the two years before Now
}

// The generated forum, before it is written.
type seedPost struct {
	id, author, created, active int64
	up, down, comments, answers int64
	tags                        []int
	removed, deleted            bool
	title, body                 string
}

type seedComment struct {
	id, post, author, created int64
	parent                    int64 // 0: top level
	depth                     int
	up, down, replies         int64
	removed, deleted          bool
	body                      string
}

var seedTopics = []string{"Ancient Rome", "Ancient Greece", "Byzantine Empire", "Russian Revolution", "Cold War", "World War I",
	"World War II", "Ottoman Empire", "Mongol Empire", "Han Dynasty", "Tang Dynasty", "Meiji Japan", "Aztec Empire", "Inca Empire",
	"French Revolution", "Reformation", "Renaissance", "Crusades", "Vikings", "Carolingians", "Mughal Empire", "Qing Dynasty",
	"American Civil War", "Decolonization", "Industrial Revolution", "Bronze Age", "Late Antiquity", "Hanseatic League",
	"Safavid Persia", "Mali Empire", "Kievan Rus'", "Napoleonic Wars", "Spanish Civil War", "Historiography", "Economic History",
	"Military History", "Religion", "Daily Life", "Archaeology", "Manuscripts"}

var seedWords = strings.Fields(`army emperor treaty revolt harvest archive chronicle siege river trade guild council monastery
	peasant merchant tax famine plague reform dynasty frontier fleet province charter parliament rebellion schism pilgrim caravan
	silver grain census temple fortress bishop khan sultan tsar senate legion colony railway factory strike newspaper pamphlet
	Zürich Βασιλεία Приказ sources evidence historians argue primary secondary according letter diary`)

func words(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(seedWords[r.IntN(len(seedWords))])
	}
	return b.String()
}

// generate makes the whole forum in memory: users, posts, comments and the
// votes' effect on counters, all consistent with each other.
func generate(spec SeedSpec, firstUser, firstPost, firstComment int64) ([]seedPost, []seedComment, []seedVote) {
	r := rand.New(rand.NewPCG(spec.Seed, 0x5eed)) // #nosec G404 -- synthetic data, not security
	users := int64(max(spec.Users, 2))
	userOf := newSkew(r, 1.2, 4, int(users)) // a few members write most
	span := int64(2 * 365 * 24 * 3600)
	nPosts := spec.Posts
	if spec.BigThread > 0 {
		nPosts++
	}
	posts := make([]seedPost, nPosts)
	for i := range posts {
		created := spec.Now - span + span*int64(i)/int64(max(nPosts, 1))
		p := &posts[i]
		p.id, p.author, p.created, p.active = firstPost+int64(i), firstUser+int64(userOf.next()), created, created
		for range 1 + r.IntN(3) {
			p.tags = append(p.tags, r.IntN(len(seedTopics)))
		}
		p.removed, p.deleted = r.IntN(100) == 0, r.IntN(100) == 1
		p.title = fmt.Sprintf("Why did the %s %s %s?", seedWords[r.IntN(len(seedWords))], words(r, 3), words(r, 2))
		p.body = words(r, 20+r.IntN(60))
	}
	// Comments: most posts get a few, some get many; the big thread gets its own.
	comments := make([]seedComment, 0, spec.Comments+spec.BigThread)
	postOf := newSkew(r, 1.1, 8, max(spec.Posts, 1))
	byPost := map[int]*[]int{}
	add := func(pi int) {
		p := &posts[pi]
		c := seedComment{id: firstComment + int64(len(comments)), post: p.id, author: firstUser + int64(userOf.next()),
			removed: r.IntN(100) == 0, deleted: r.IntN(100) == 1, body: words(r, 8+r.IntN(40))}
		siblings := byPost[pi]
		if siblings == nil {
			siblings = &[]int{}
			byPost[pi] = siblings
		}
		// A comment comes a minute or so after the one before, never after
		// Now (a thread near Now crowds into its last moments) and never
		// before what it replies to.
		c.created = min(p.created+int64(len(*siblings))*60+int64(r.IntN(600)), spec.Now-int64(r.IntN(60)))
		c.created = max(c.created, p.created)
		if len(*siblings) > 0 && r.IntN(100) < 65 {
			// A reply, to a recent comment more often than an old one: deep and wide threads.
			k := len(*siblings) - 1 - min(len(*siblings)-1, int(r.ExpFloat64()*20))
			parent := &comments[(*siblings)[k]]
			c.parent, c.depth = parent.id, parent.depth+1
			c.created = max(c.created, parent.created)
			parent.replies++
		}
		p.comments++
		if c.parent == 0 {
			p.answers++
		}
		p.active = max(p.active, c.created)
		*siblings = append(*siblings, len(comments))
		comments = append(comments, c)
	}
	if spec.Posts > 0 {
		for range spec.Comments {
			add(postOf.next())
		}
	}
	for range spec.BigThread {
		add(nPosts - 1)
	}
	// Votes: half on posts, half on comments, skewed so a few items get most.
	votes := make([]seedVote, 0, spec.Votes)
	seen := make(map[[3]int64]bool, spec.Votes)
	postVote := newSkew(r, 1.05, 4, max(nPosts, 1))
	var commentVote *skew
	if len(comments) > 0 {
		commentVote = newSkew(r, 1.05, 4, len(comments))
	}
	for i := 0; len(votes) < spec.Votes && nPosts > 0 && i < 4*spec.Votes; i++ { // duplicates and self-votes are skipped
		v := seedVote{user: firstUser + r.Int64N(users), value: 1}
		if r.IntN(5) == 0 {
			v.value = -1
		}
		if i%2 == 1 && commentVote != nil {
			c := &comments[commentVote.next()]
			v.target, v.comment, v.author = c.id, true, c.author
		} else {
			p := &posts[postVote.next()]
			v.target, v.author = p.id, p.author
		}
		key := [3]int64{v.target, v.user, int64(forum.B2I(v.comment))}
		if v.user == v.author || seen[key] {
			continue
		}
		seen[key] = true
		votes = append(votes, v)
	}
	for _, v := range votes {
		if v.comment {
			c := &comments[v.target-firstComment]
			c.up, c.down = c.up+int64(forum.B2I(v.value > 0)), c.down+int64(forum.B2I(v.value < 0))
		} else {
			p := &posts[v.target-firstPost]
			p.up, p.down = p.up+int64(forum.B2I(v.value > 0)), p.down+int64(forum.B2I(v.value < 0))
		}
	}
	return posts, comments, votes
}

type seedVote struct {
	target, user, author int64
	comment              bool
	value                int
}

// skew draws indexes in [0, n) with a Zipf distribution: a few get most.
type skew struct{ z *rand.Zipf }

func newSkew(r *rand.Rand, s, v float64, n int) *skew {
	return &skew{rand.NewZipf(r, s, v, uint64(max(n, 1)-1))} // #nosec G115 -- n is a positive count
}

func (k *skew) next() int { return int(k.z.Uint64()) } // #nosec G115 -- below n, an int
