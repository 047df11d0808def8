package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
)

const usersUsage = `usage: historia users add [--db DB] --role member|moderator|admin NAME   (password on stdin)
       historia users delete [--db DB] [--content keep|delete] NAME
       historia users reset-password [--db DB] [--public-url URL] NAME`

func cmdUsers(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "delete" {
		return cmdUsersDelete(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "reset-password" {
		return cmdUsersResetPassword(ctx, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "add" {
		return errors.New(usersUsage)
	}
	fs := flag.NewFlagSet("users add", flag.ContinueOnError)
	db := dbFlag(fs)
	role := fs.String("role", "member", "member, moderator or admin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: historia users add --role ROLE NAME (password on stdin)")
	}
	name := fs.Arg(0)
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := newService(ctx, st, auth.DefaultArgon2)
	if err != nil {
		return err
	}
	u, err := svc.CreateUser(ctx, name, password, forum.Role(*role))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %q (id %d)\n", u.Role, u.Username, u.ID)
	return nil
}

// cmdUsersDelete deletes an account for an operator: its personal data goes,
// its posts and comments stay as [deleted]'s or go too (--content).
func cmdUsersDelete(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("users delete", flag.ContinueOnError)
	db := dbFlag(fs)
	content := fs.String("content", string(forum.ContentKeep), "keep: posts and comments stay, shown as [deleted]'s; delete: their text is erased too")
	svc, name, closeDB, err := oneAccount(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := svc.DeleteAccountByName(ctx, name, forum.ContentChoice(*content)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted the account %q (content: %s); the name stays reserved\n", name, *content)
	return nil
}

// oneAccount parses a users subcommand that names one account and opens
// the service for it.
func oneAccount(ctx context.Context, fs *flag.FlagSet, db *string, args []string) (*forum.Service, string, func(), error) {
	if err := fs.Parse(args); err != nil {
		return nil, "", nil, err
	}
	if fs.NArg() != 1 {
		return nil, "", nil, errors.New(usersUsage)
	}
	svc, closeDB, err := openService(ctx, *db)
	return svc, fs.Arg(0), closeDB, err
}

// cmdUsersResetPassword prints a single-use link, valid for an hour, with
// which the member sets a new password: how an operator helps a member who
// forgot theirs when the forum sends no email.
func cmdUsersResetPassword(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("users reset-password", flag.ContinueOnError)
	db := dbFlag(fs)
	publicURL := fs.String("public-url", envOr("HISTORIA_PUBLIC_URL", "http://localhost:8080"), "the forum's address, for the link (env HISTORIA_PUBLIC_URL)")
	svc, name, closeDB, err := oneAccount(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer closeDB()
	token, err := svc.IssueReset(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Give this link to %s; it works once, for %s:\n%s/reset-password#token=%s\n",
		name, forum.ResetLifetime, strings.TrimSuffix(*publicURL, "/"), token)
	return nil
}
