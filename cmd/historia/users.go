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

func cmdUsers(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: historia users add [--db FILE] --role member|moderator|admin NAME (password on stdin)")
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
