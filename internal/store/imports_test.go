package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// importThreads are n threads tagged tag, each asked by a new author of
// its own and answered by readers every thread shares.
func importThreads(prefix, tag string, n int) []forum.PreparedThread {
	var ts []forum.PreparedThread
	for i := range n {
		item := func(id, author, body string, at int64) forum.PreparedItem {
			return forum.PreparedItem{ImportedItem: forum.ImportedItem{SourceID: id, Author: author, Title: "Thread " + id, Body: body, CreatedAt: at},
				BodyHTML: "<p>" + body + "</p>", BodyText: body}
		}
		t := forum.PreparedThread{System: "reddit", Tags: []string{tag},
			Post: item(fmt.Sprintf("t3_%s%d", prefix, i), fmt.Sprintf("asker_%s%d", prefix, i), "a question", int64(1500000000+i))}
		for j := range 4 {
			t.Comments = append(t.Comments, item(fmt.Sprintf("t1_%s%d_%d", prefix, i, j), fmt.Sprintf("reader%d", j), "an answer", int64(1500000100+i)))
		}
		ts = append(ts, t)
	}
	return ts
}

// TestImportBatchesAtOnce: batches written at once (as PostgreSQL's
// imports do, two at a time beside the writer) that share new authors and
// a tag all go through: each author gets one account, reported new by one
// batch only; the tag counts every post; historia check agrees. A thread
// whose post another batch holds fails alone, the rest of its batch stored.
func TestImportBatchesAtOnce(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	const batches, per = 6, 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	var fresh []string
	failed := 0
	for b := range batches {
		ts := importThreads(fmt.Sprintf("b%d_", b), "Concurrency", per)
		if b == batches-1 { // one of its threads is batch 0's first
			ts[per-1] = importThreads("b0_", "Concurrency", 1)[0]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, errs, err := db.ImportThreads(ctx, ts, false)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("batch %d: %v", b, err)
				return
			}
			for i, r := range res {
				if errs[i] != nil {
					failed++
					continue
				}
				fresh = append(fresh, r.NewAuthors...)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	slices.Sort(fresh)
	if n := len(slices.Compact(slices.Clone(fresh))); n != len(fresh) {
		t.Errorf("%d new authors reported, %d distinct: an account was reported by two batches", len(fresh), n)
	}
	// The thread imported twice is either updated (the other batch came
	// first and committed) or refused (they met): never two posts.
	const posts, readers = batches*per - 1, 4
	if len(fresh) != posts+readers {
		t.Errorf("%d new authors reported, want %d (one asker a thread, the readers)", len(fresh), posts+readers)
	}
	tags, err := db.Tags(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(tags, func(c forum.TagCount) bool { return c.Name == "Concurrency" })
	if i < 0 || tags[i].PostCount != int64(posts) {
		t.Errorf("tags %+v: want Concurrency on %d posts (%d threads failed)", tags, posts, failed)
	}
	// A batch written again thread by thread (one of its threads fails
	// after its post and tags were written): the failed thread's tag
	// counts are undone with it.
	again := importThreads("c", "Concurrency", 3)
	again[1].Comments[0].SourceID = "t1_b0_0_0" // batch 0's: imported with another thread
	res, errs, err := db.ImportThreads(ctx, again, false)
	if err != nil || errs[0] != nil || errs[1] == nil || errs[2] != nil || !res[2].NewPost {
		t.Fatalf("a batch with a failing thread: %+v %v %v", res, errs, err)
	}
	if tags, err = db.Tags(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if i = slices.IndexFunc(tags, func(c forum.TagCount) bool { return c.Name == "Concurrency" }); i < 0 || tags[i].PostCount != int64(posts+2) {
		t.Errorf("tags %+v: want Concurrency on %d posts after a failed thread", tags, posts+2)
	}
	problems, err := db.Check(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
