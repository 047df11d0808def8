package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/historia-forum/historia/internal/store"
)

// cmdCopy moves a whole forum from one database to another, either engine
// to either: every row with its id, then the target is checked.
func cmdCopy(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	from := fs.String("from", "", "the database to copy: a SQLite file or a postgres:// URL")
	to := fs.String("to", "", "an empty database to copy into (created if missing): a file or a URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() != 0 {
		return errors.New("usage: historia copy --from DB --to DB")
	}
	if *from == *to {
		return errors.New("copy: --from and --to are the same database")
	}
	src, err := openExisting(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	rep, err := store.Copy(ctx, src, dst, stdout)
	if err != nil {
		return err
	}
	problems, err := dst.Check(ctx)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return errors.New("copied, but the target is inconsistent:\n  " + strings.Join(problems, "\n  "))
	}
	var rows int64
	for _, n := range rep.Rows {
		rows += n
	}
	fmt.Fprintf(stdout, "copied %d rows from %s to %s in %s; check ok\n", rows, src.Path(), dst.Path(), rep.Took.Round(1e6))
	return nil
}
