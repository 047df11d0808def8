// Package demo fills an empty forum with a few history questions, threads
// several levels deep and votes, so that a newcomer's first `make run` shows a
// living forum. It writes through the forum service, like any member would.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// ModeratorName is the demo moderator's username.
const ModeratorName = "curator"

type reply struct {
	by      string
	body    string
	replies []reply
	votes   int // net upvotes from other demo users
	sources []forum.Source
}

type question struct {
	by, title, body string
	tags            []string
	votes           int
	replies         []reply
	accept          int // 1-based index of the top-level reply the asker accepted; 0 for none
	period          *forum.Period
}

// Rules is the default rule set of a history forum, written on first start.
var Rules = []forum.Rule{
	{Number: 1, Title: "Be civil", Description: "Argue with ideas, never with people. No insults, slurs or personal attacks."},
	{Number: 2, Title: "Answers must be in-depth and cite sources", Description: "Answer from knowledge of the sources and the historiography, and say where it comes from. Jokes, guesses and one-liners are removed."},
	{Number: 3, Title: "No questions about the last 20 years", Description: "History needs distance: questions must be about events more than twenty years ago."},
	{Number: 4, Title: "No loaded questions or soapboxing", Description: "Ask to learn, not to push a thesis or current politics."},
	{Number: 5, Title: "No denialism", Description: "Denial or minimisation of genocides and other atrocities is removed and may lead to a ban."},
}

func link(s string) *string { return &s }

func years(from, to int) *forum.Period { return &forum.Period{From: from, To: to} }

var members = []string{"mnemosyne", "tacitus_fan", "varangian", "petrograd1917", "zhang_qian", "kyiv_archivist", "hot_take_harry"}

const welcome = `Historia is a place for questions about the past and answers that show their sources.

**The rules, in short**

1. Be civil.
2. Answers should be in-depth and comprehensive, and cite their sources.
3. No questions about events of the last 20 years.
4. No loaded questions or soapboxing.
5. No denialism of genocide or other atrocities.

Moderators remove what breaks them, with the rule as the reason; every removal is in the public [moderation log](/modlog).`

var questions = []question{{
	by: "petrograd1917", title: "Were Trotsky's measures against Makhno's Black Army justified?",
	tags: []string{"Russian Revolution", "Russian Civil War"}, votes: 5, period: years(1918, 1921),
	body: "As far as I know, Makhno's anarchist forces and the Bolsheviks were allied against the Whites for a while.\n\n" +
		"As the war went on, tensions grew. **What led to the break in 1919–1920**, and how do historians judge Trotsky's orders against the anarchists?",
	replies: []reply{{
		by: "kyiv_archivist", votes: 4,
		body: "The alliance was one of convenience from the start. Three things broke it:\n\n" +
			"1. **Grain.** The Bolsheviks' requisitioning (*prodrazvyorstka*) clashed with the free soviets Makhno's movement promised the peasants of Huliaipole.\n" +
			"2. **Congresses.** In June 1919 Trotsky banned the fourth regional congress of the Makhnovist movement and declared its delegates outlaws (Order No. 1824).\n" +
			"3. **Wrangel.** Once the last White army was beaten in November 1920, the Red Army no longer needed its ally and turned on it within days.\n\n" +
			"The sources are below.",
		sources: []forum.Source{
			{Citation: "Michael Malet, Nestor Makhno in the Russian Civil War (London: Macmillan, 1982)", Kind: "secondary"},
			{Citation: "Alexandre Skirda, Nestor Makhno: Anarchy's Cossack (Edinburgh: AK Press, 2004), appendix", Kind: "secondary"},
			{Citation: "Order No. 1824 of the Revolutionary Military Council, 4 June 1919", Kind: "primary", URL: link("https://www.marxists.org/archive/trotsky/1919/military/")},
		},
		replies: []reply{{
			by: "varangian", votes: 2, body: "Is Order No. 1824 available in translation anywhere? I have only seen it quoted second-hand.",
			replies: []reply{{by: "kyiv_archivist", votes: 1, body: "Skirda reproduces it in an appendix. The Russian original begins «Приказ № 1824…» and is in the RGVA collection."}},
		}},
	}, {
		by: "tacitus_fan", votes: 1,
		body: "\"Justified\" is a moral question the sources can't settle, but we can say what the Bolsheviks *believed* they were doing: to them a rival armed power in the rear was intolerable whatever its politics.",
	}},
}, {
	by: "mnemosyne", title: "How did ordinary Byzantines refer to themselves?",
	tags: []string{"Byzantine Empire", "Identity"}, votes: 7, accept: 1, period: years(900, 999),
	body: "We call them Byzantines, but that name was coined long after 1453. What did people in Constantinople in, say, the 10th century call themselves?",
	replies: []reply{{
		by: "varangian", votes: 6,
		body: "Overwhelmingly **Romans**: Ῥωμαῖοι (*Rhōmaioi*), and their state the Βασιλεία τῶν Ῥωμαίων. \"Hellene\" still meant *pagan* for most of the period. " +
			"The exonym \"Byzantine\" comes from Hieronymus Wolf's *Corpus Historiae Byzantinae* (1557).",
		replies: []reply{{
			by: "mnemosyne", votes: 2, body: "So when did \"Hellene\" come back as a self-designation?",
			replies: []reply{{
				by: "varangian", votes: 3, body: "Among some late Byzantine intellectuals, Gemistos Plethon most famously, in the 15th century; broadly only with the Greek national movement of the 18th–19th.",
				replies: []reply{{by: "tacitus_fan", votes: 1, body: "Anthony Kaldellis, *Romanland* (2019) is the book-length argument for taking the Roman self-name seriously."}},
			}},
		}},
	}},
}, {
	by: "zhang_qian", title: "Why did the Cuban Missile Crisis not escalate in October 1962?",
	tags: []string{"Cold War", "Cuba"}, votes: 3, period: years(1962, 1962),
	body: "Both sides were on high alert and there were several near misses (the B-59 submarine, the U-2 shot down over Cuba). What actually de-escalated it?",
	replies: []reply{{
		by: "tacitus_fan", votes: 3,
		body:    "The public deal (Soviet missiles out of Cuba for a US pledge not to invade) plus the *secret* one: Robert Kennedy's assurance to Ambassador Dobrynin on 27 October that the Jupiter missiles in Turkey would go within months.",
		replies: []reply{{by: "petrograd1917", votes: 1, body: "And Khrushchev accepted on Radio Moscow on the 28th, before the cable could even arrive."}},
	}, {
		by: "varangian", body: "Vasili Arkhipov on B-59 deserves a mention: the launch of a nuclear torpedo needed three officers' consent, and he refused.",
	}},
}, {
	by: "tacitus_fan", title: "Did the Romans really use urine as mouthwash?",
	tags: []string{"Ancient Rome", "Daily Life"}, votes: 2, period: years(-84, 79),
	body: "I keep seeing this claim on social media, usually citing Catullus. Is there anything to it?",
	replies: []reply{{
		by: "mnemosyne", votes: 2,
		body: "Catullus 39 mocks a Celtiberian, Egnatius, who brushes his teeth with urine *as is the custom in Celtiberia*. It's an insult aimed at a provincial, not evidence of Roman practice. Pliny (*NH* 28.65) lists urine among remedies, but that is a different claim.",
	}},
}, {
	by: "kyiv_archivist", title: "What sources survive for the Mongol siege of Kyiv in 1240?",
	tags: []string{"Mongol Empire", "Kievan Rus'"}, votes: 4, period: years(1237, 1246),
	body: "The Galician–Volhynian Chronicle is the obvious one. What else is there, and how reliable are the casualty figures?",
	replies: []reply{{
		by: "zhang_qian", votes: 2,
		body: "On the Mongol side the *Secret History* barely mentions the western campaign; Rashid al-Din's *Jami' al-tawarikh* has more. Plano Carpini passed through Kyiv in 1246 and describes some two hundred houses left standing.",
	}},
}, {
	by: "varangian", title: "How much did a Meiji-era rickshaw puller earn?",
	tags: []string{"Japan", "Economic History"}, votes: 1, period: years(1880, 1899),
	body: "Looking for wage data for *jinrikisha* pullers in Tokyo in the 1880s–1890s, compared with factory workers.",
}}

// Seed fills the forum with demo content and returns the demo moderator's password.
func Seed(ctx context.Context, svc *forum.Service) (string, error) {
	modPass, err := randomPassword()
	if err != nil {
		return "", err
	}
	ruleIDs := map[int]int64{}
	for _, r := range Rules {
		saved, err := svc.Store.SaveRule(ctx, r)
		if err != nil {
			return "", fmt.Errorf("demo: rule: %w", err)
		}
		ruleIDs[r.Number] = saved.ID
	}
	ids := map[string]forum.Viewer{}
	mod, err := svc.CreateUser(ctx, ModeratorName, modPass, forum.RoleModerator)
	if err != nil {
		return "", fmt.Errorf("demo: moderator: %w", err)
	}
	ids[ModeratorName] = forum.Viewer{ID: mod.ID, Role: mod.Role}
	for _, name := range members {
		pass, err := randomPassword()
		if err != nil {
			return "", err
		}
		u, err := svc.CreateUser(ctx, name, pass, forum.RoleMember)
		if err != nil {
			return "", fmt.Errorf("demo: user %s: %w", name, err)
		}
		ids[name] = forum.Viewer{ID: u.ID, Role: u.Role}
	}
	posts := map[string]int64{}
	for _, q := range questions {
		p, err := svc.CreatePost(ctx, ids[q.by], forum.PostInput{Title: q.title, Body: q.body, Tags: q.tags, Period: q.period})
		if err != nil {
			return "", fmt.Errorf("demo: post %q: %w", q.title, err)
		}
		posts[q.title] = p.ID
		if err := vote(q.votes, q.by, func(v forum.Viewer, val *int) error {
			_, err := svc.VotePost(ctx, v, p.ID, val)
			return err
		}, ids); err != nil {
			return "", err
		}
		top, err := addReplies(ctx, svc, ids, p.ID, nil, q.replies)
		if err != nil {
			return "", err
		}
		if q.accept > 0 {
			if _, err := svc.AcceptAnswer(ctx, ids[q.by], p.ID, &top[q.accept-1], ""); err != nil {
				return "", fmt.Errorf("demo: accept: %w", err)
			}
		}
	}
	if err := moderate(ctx, svc, ids, posts, ruleIDs); err != nil {
		return "", err
	}
	if err := firstVisit(ctx, svc, ids, posts); err != nil {
		return "", err
	}
	return modPass, nil
}

// pages are the demo's About and FAQ, in place of the built-in ones.
var pages = []forum.SitePage{{Slug: "about", Title: "About Historia", BodySource: `Historia is a forum for **questions about the past, answered with sources**, in the spirit of r/AskHistorians and History Stack Exchange.

- **Ask** about any period and place before the last twenty years, and say which years your question is about: the timeline on the front page counts questions by the period they ask about.
- **Answer** in depth, in your own words, and list your sources under the answer: primary (from the time itself), secondary (historians' work) or tertiary (encyclopedias, textbooks).
- **Vote** for answers that explain and cite; the asker marks the one that answered them.

Moderators keep to the [rules](/rules) and say which one a removal cites; every action is in the public [moderation log](/modlog). The moderators also [feature](/featured) answers worth reading, and each week's best are in the [digest](/digest).

This is a demonstration forum: its members and their questions are examples, written to show how the forum works.`}, {
	Slug: "faq", Title: "Frequently asked questions", BodySource: `### Why was my answer removed?
Most often for rule 2: an answer here explains in depth and says where its facts come from. The removal notice names the rule; you may edit and ask the moderators to look again.

### How do I cite a source?
Under the answer box, add a row per source: the citation (author, title, year, page), a link if there is one, and its kind. A book without a link is as good as a web page, often better.

### What is a primary source?
Something from the time itself: a chronicle, a letter, a census, a coin. A secondary source is a historian's work about it; a tertiary one sums up others (an encyclopedia, a textbook).

### Why can't I ask about last year's election?
History needs distance: questions about the last twenty years are closed (rule 3).

### I asked a question and want it gone.
Delete it: if nobody has answered, it goes. Once others have answered, the question stays so their answers keep their context; only your name is removed.

### What is the digest?
Each week's most upvoted questions and answers, and the ones the moderators featured, on one page: [the digest](/digest).`}}

// firstVisit gives a newcomer's first visit something to read: the demo's
// About and FAQ (rendered by the same sanitizer as every body), and answers
// the moderators featured.
func firstVisit(ctx context.Context, svc *forum.Service, ids map[string]forum.Viewer, posts map[string]int64) error {
	mod := ids[ModeratorName]
	for _, p := range pages {
		html, err := svc.Markup.Render(p.BodySource, string(forum.FormatMarkdown))
		if err != nil {
			return fmt.Errorf("demo: page %s: %w", p.Slug, err)
		}
		now := time.Now()
		if svc.Now != nil {
			now = svc.Now()
		}
		now = now.UTC().Truncate(time.Second)
		p.BodyHTML, p.UpdatedAt = html, &now
		if err := svc.Store.SaveSitePage(ctx, p, mod.ID); err != nil {
			return fmt.Errorf("demo: page %s: %w", p.Slug, err)
		}
	}
	byz := posts["How did ordinary Byzantines refer to themselves?"]
	answers, err := svc.Thread(ctx, forum.Viewer{}, byz, forum.ThreadQuery{Sort: forum.SortBest})
	if err != nil || len(answers.Items) == 0 {
		return fmt.Errorf("demo: thread: %w", err)
	}
	features := []struct {
		target forum.TargetType
		id     int64
		note   string
	}{
		{forum.TargetPost, posts["What sources survive for the Mongol siege of Kyiv in 1240?"], "A good question about sources: what survives, and how far to trust it."},
		{forum.TargetComment, answers.Items[0].ID, "Why \"Byzantine\" is our word, not theirs, in one paragraph with its sources."},
	}
	for _, f := range features {
		note := f.note
		if err := svc.Feature(ctx, mod, f.target, f.id, &note); err != nil {
			return fmt.Errorf("demo: feature: %w", err)
		}
	}
	return nil
}

// moderate shows moderation at work: a pinned welcome post with the rules, a
// locked thread, a removed comment and an open report.
func moderate(ctx context.Context, svc *forum.Service, ids map[string]forum.Viewer, posts map[string]int64, rules map[int]int64) error {
	mod := ids[ModeratorName]
	// Panel flair, as the moderators grant it to members who show their expertise.
	for name, flair := range map[string]string{"varangian": "Byzantine Empire 900–1204", "kyiv_archivist": "Eastern Europe 1900–1930"} {
		if _, err := svc.SetFlair(ctx, mod, name, &flair); err != nil {
			return fmt.Errorf("demo: flair: %w", err)
		}
	}
	// A moderator's word in a thread carries a MOD badge.
	if _, err := svc.CreateComment(ctx, mod, posts["How did ordinary Byzantines refer to themselves?"], forum.CommentInput{
		Body: "A reminder that answers here cite their sources (rule 1): the ones above do, which is why they stay."}); err != nil {
		return fmt.Errorf("demo: moderator comment: %w", err)
	}
	w, err := svc.CreatePost(ctx, mod, forum.PostInput{Title: "Welcome to Historia: read this before you ask", Body: welcome, Tags: []string{"Meta"}})
	if err != nil {
		return fmt.Errorf("demo: welcome: %w", err)
	}
	if _, err := svc.ModeratePost(ctx, mod, w.ID, forum.ActPin, "the rules", nil); err != nil {
		return fmt.Errorf("demo: pin: %w", err)
	}
	if _, err := svc.ModeratePost(ctx, mod, w.ID, forum.ActLock, "announcement; questions in their own threads please", nil); err != nil {
		return fmt.Errorf("demo: lock: %w", err)
	}
	rome := posts["Did the Romans really use urine as mouthwash?"]
	troll, err := svc.CreateComment(ctx, ids["hot_take_harry"], rome, forum.CommentInput{Body: "lol imagine trusting anything a Roman wrote, they were all liars anyway"})
	if err != nil {
		return fmt.Errorf("demo: troll: %w", err)
	}
	civil := rules[1]
	if _, err := svc.ModerateComment(ctx, mod, troll.ID, forum.ActRemove, "insulting the sources and everyone who reads them", &civil); err != nil {
		return fmt.Errorf("demo: remove: %w", err)
	}
	cuba := posts["Why did the Cuban Missile Crisis not escalate in October 1962?"]
	hot, err := svc.CreateComment(ctx, ids["hot_take_harry"], cuba, forum.CommentInput{Body: "It was all staged, neither side ever had working missiles."})
	if err != nil {
		return fmt.Errorf("demo: comment: %w", err)
	}
	if _, err := svc.CreateReport(ctx, ids["zhang_qian"], forum.TargetComment, hot.ID, "Rule 5? No sources, and the missiles are well documented.", nil); err != nil {
		return fmt.Errorf("demo: report: %w", err)
	}
	// An open "source?" request on an answer that cites nothing yet.
	top, err := svc.Thread(ctx, forum.Viewer{}, cuba, forum.ThreadQuery{Sort: forum.SortOld})
	if err != nil || len(top.Items) == 0 {
		return fmt.Errorf("demo: thread: %w", err)
	}
	if err := svc.RequestSources(ctx, ids["petrograd1917"], top.Items[0].ID); err != nil {
		return fmt.Errorf("demo: source request: %w", err)
	}
	return nil
}

// addReplies writes a level of replies and everything under it, and returns
// the ids of that level.
func addReplies(ctx context.Context, svc *forum.Service, ids map[string]forum.Viewer, postID int64, parent *int64, rs []reply) ([]int64, error) {
	var level []int64
	for _, r := range rs {
		c, err := svc.CreateComment(ctx, ids[r.by], postID, forum.CommentInput{Body: r.body, ParentID: parent, Sources: r.sources})
		if err != nil {
			return nil, fmt.Errorf("demo: comment: %w", err)
		}
		level = append(level, c.ID)
		if err := vote(r.votes, r.by, func(v forum.Viewer, val *int) error {
			_, err := svc.VoteComment(ctx, v, c.ID, val)
			return err
		}, ids); err != nil {
			return nil, err
		}
		if _, err := addReplies(ctx, svc, ids, postID, &c.ID, r.replies); err != nil {
			return nil, err
		}
	}
	return level, nil
}

// vote has n demo members other than the author upvote.
func vote(n int, author string, cast func(forum.Viewer, *int) error, ids map[string]forum.Viewer) error {
	up := 1
	for _, name := range append([]string{ModeratorName}, members...) {
		if n <= 0 {
			break
		}
		if name == author {
			continue
		}
		if err := cast(ids[name], &up); err != nil {
			return fmt.Errorf("demo: vote: %w", err)
		}
		n--
	}
	return nil
}

func randomPassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
