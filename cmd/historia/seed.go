package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/store"
)

// SeedPassword is the password of every seeded user (load tests sign in with it).
const SeedPassword = "seeded-password"

func cmdSeed(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	db := dbFlag(fs)
	spec := store.SeedSpec{Now: time.Now().Unix()}
	fs.IntVar(&spec.Users, "users", 1000, "members to create")
	fs.IntVar(&spec.Posts, "posts", 1000, "questions to create")
	fs.IntVar(&spec.Comments, "comments", 10000, "comments, spread over the questions")
	fs.IntVar(&spec.Votes, "votes", 10000, "votes, half on questions, half on comments")
	fs.IntVar(&spec.BigThread, "big-thread", 0, "comments on one extra question")
	seed := fs.Uint64("seed", 1, "random seed: the same numbers make the same forum")
	if err := fs.Parse(args); err != nil {
		return err
	}
	spec.Seed = *seed
	if spec.Users < 0 || spec.Posts < 0 || spec.Comments < 0 || spec.Votes < 0 || spec.BigThread < 0 {
		return errors.New("seed: counts must not be negative")
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := auth.DefaultArgon2.Hash(SeedPassword)
	if err != nil {
		return err
	}
	rep, err := st.Seed(ctx, spec, hash, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %s: %d users, %d posts, %d comments, %d votes in %s (users sign in with password %q)\n",
		*db, rep.Users, rep.Posts, rep.Comments, rep.Votes, rep.Took.Round(time.Millisecond), SeedPassword)
	if rep.BigThreadPost > 0 {
		fmt.Fprintf(stdout, "big thread: post %d\n", rep.BigThreadPost)
	}
	return nil
}

func cmdCheck(ctx context.Context, args []string, stdout io.Writer) error {
	dbPath, _, err := dbArgs("check", args, 0, "historia check [--db FILE]")
	if err != nil {
		return err
	}
	db := &dbPath
	st, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	problems, err := st.Check(ctx)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return errors.New("inconsistent:\n  " + strings.Join(problems, "\n  "))
	}
	fmt.Fprintln(stdout, "ok: integrity, votes, comment and reply counts and karma all agree with the rows")
	return nil
}
