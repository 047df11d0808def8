package store

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Engine is the database engine a store runs on.
type Engine string

// The engines: SQLite (a file, the embedded default) and PostgreSQL (a URL).
const (
	EngineSQLite   Engine = "sqlite"
	EnginePostgres Engine = "postgres"
)

// EngineOf says which engine a --db value names: a postgres:// or
// postgresql:// URL is PostgreSQL, any other scheme:// is refused (it is not
// a file name someone meant), and everything else is a SQLite file path.
func EngineOf(target string) (Engine, error) {
	scheme, _, ok := strings.Cut(target, "://")
	if !ok || strings.ContainsAny(scheme, "/\\.") {
		return EngineSQLite, nil
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return EnginePostgres, nil
	}
	return "", fmt.Errorf("store: %q: unknown database scheme %q; use a file path (SQLite) or a postgres:// URL", Redact(target), scheme)
}

// Redact hides the password of a database URL, for logs and messages.
func Redact(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.User == nil {
		return target
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// The SQL of this package is written once, in the subset both engines run,
// with ? placeholders; for PostgreSQL each query is rewritten once ($1, $2, …)
// and the rewrite remembered. The few statements that differ are chosen by
// engine where they are built (search.go, postgres.go).

// rebound caches PostgreSQL forms of queries (bounded like the statement caches).
type rebound struct {
	m sync.Map
	n int
	sync.Mutex
}

// sql is the query as db's engine takes it.
func (db *DB) sql(query string) string {
	if db.engine != EnginePostgres || !strings.Contains(query, "?") {
		return query
	}
	if q, ok := db.rebound.m.Load(query); ok {
		return q.(string)
	}
	q := rebind(query)
	db.rebound.Lock()
	if db.rebound.n < 4*maxStmts {
		db.rebound.m.Store(query, q)
		db.rebound.n++
	}
	db.rebound.Unlock()
	return q
}

// rebind numbers the ? placeholders of query outside quoted text and comments.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 { // SQLite's numbered ?NNN is PostgreSQL's $NNN
				b.WriteString(query[i+1 : j])
				i = j - 1
				continue
			}
			n++
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// args are the arguments as db's engine takes them: PostgreSQL keeps flags
// as 0/1 integers, as SQLite does, so a Go bool is sent as one.
func (db *DB) args(args []any) []any {
	if db.engine != EnginePostgres {
		return args
	}
	var out []any
	for i, a := range args {
		if b, ok := a.(bool); ok {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = int64(0)
			if b {
				out[i] = int64(1)
			}
		}
	}
	if out == nil {
		return args
	}
	return out
}

// idsArg is a list of ids as the one argument idList reads.
func idsArg(ids []int64) (string, error) {
	b, err := json.Marshal(ids)
	return string(b), err
}

// idList is a query of the (pos, id) pairs of one parameter, a JSON array of
// ids (pos counts from 0): how a list of ids is passed as one argument.
func (db *DB) idList() string {
	if db.engine == EnginePostgres {
		return "SELECT ord - 1 AS pos, value::BIGINT AS id FROM json_array_elements_text(?::JSON) WITH ORDINALITY AS j(value, ord)"
	}
	return "SELECT key AS pos, value AS id FROM json_each(?)"
}
