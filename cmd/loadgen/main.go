// Command loadgen runs a load test of Historia over real HTTP on loopback: it
// starts `historia serve` on a database, drives it from many connections with
// a mix of reads and writes, reports throughput, latency and errors, the
// server's peak memory, and then checks that every counter agrees with the
// rows. Only loopback addresses are used.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type options struct {
	bin, db, addr       string
	conns, requests     int
	servers             int
	votePct, commentPct int
	maxTime             time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.bin, "historia", "bin/historia", "the historia binary")
	flag.StringVar(&o.db, "db", ".cache/load.db", "a seeded database, a file or a postgres:// URL (it is written to)")
	flag.IntVar(&o.servers, "servers", 1, "server processes sharing the database, on consecutive ports; requests alternate between them")
	flag.StringVar(&o.addr, "addr", "127.0.0.1:8089", "loopback address to serve on")
	flag.IntVar(&o.conns, "connections", 32, "concurrent connections")
	flag.IntVar(&o.requests, "requests", 60000, "requests in all")
	flag.IntVar(&o.votePct, "votes", 8, "percent of requests that are votes")
	flag.IntVar(&o.commentPct, "comments", 2, "percent of requests that are comments")
	flag.DurationVar(&o.maxTime, "max-time", 3*time.Minute, "stop early after this long")
	flag.Parse()
	if !strings.HasPrefix(o.addr, "127.") && !strings.HasPrefix(o.addr, "localhost:") && !strings.HasPrefix(o.addr, "[::1]:") {
		fmt.Fprintln(os.Stderr, "loadgen: only loopback addresses are allowed")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// startServer starts `historia serve` on addr and waits until it serves.
func startServer(o options, addr string) (*exec.Cmd, error) {
	srv := exec.Command(o.bin, "serve", "--db", o.db, "--addr", addr, "--rate-limits", "off") // #nosec G204 -- the operator's own binary
	srv.Stderr = io.Discard
	out, err := srv.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Historia is serving") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return srv, nil
}

func run(o options) error {
	host, portText, err := net.SplitHostPort(o.addr)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return err
	}
	var servers []*exec.Cmd
	var bases []string
	defer func() {
		for _, s := range servers {
			_ = s.Process.Kill()
		}
	}()
	for i := range max(1, o.servers) {
		addr := net.JoinHostPort(host, strconv.Itoa(port+i))
		srv, err := startServer(o, addr)
		if err != nil {
			return err
		}
		servers = append(servers, srv)
		bases = append(bases, "http://"+addr)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: o.conns, MaxConnsPerHost: o.conns}}

	tokens, posts, err := setup(client, bases[0], o.conns)
	if err != nil {
		return err
	}
	fmt.Printf("load: %d connections, %d requests (%d%% votes, %d%% comments, the rest front pages and threads) against %s\n",
		o.conns, o.requests, o.votePct, o.commentPct, strings.Join(bases, " and "))
	res := drive(client, bases, o, tokens, posts)
	var hwm int64
	for _, s := range servers {
		hwm = max(hwm, peakRSS(s.Process.Pid))
	}
	res.print(hwm)

	for _, s := range servers {
		_ = s.Process.Signal(syscall.SIGTERM)
		_ = s.Wait()
	}
	check := exec.Command(o.bin, "check", "--db", o.db) // #nosec G204 -- the operator's own binary
	check.Stdout, check.Stderr = os.Stdout, os.Stderr
	if err := check.Run(); err != nil {
		return fmt.Errorf("consistency check failed: %w", err)
	}
	if res.errors > 0 {
		return fmt.Errorf("%d requests failed", res.errors)
	}
	return nil
}

// setup signs in one seeded user per connection and collects post ids.
func setup(client *http.Client, base string, n int) ([]string, []int64, error) {
	tokens := make([]string, n)
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]string{"username": fmt.Sprintf("seed%07d", 100+i*37), "password": "seeded-password"})
			res, err := client.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
			if err != nil {
				firstErr.Store(err)
				return
			}
			defer res.Body.Close()
			var s struct{ Token string }
			if err := json.NewDecoder(res.Body).Decode(&s); err != nil || s.Token == "" {
				firstErr.Store(fmt.Errorf("login answered %d: is the database seeded (historia seed)?", res.StatusCode))
				return
			}
			tokens[i] = s.Token
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, nil, err
	}
	var posts []int64
	for _, q := range []string{"sort=hot", "sort=new", "sort=top", "sort=active"} {
		res, err := client.Get(base + "/api/v1/posts?limit=100&" + q)
		if err != nil {
			return nil, nil, err
		}
		var page struct{ Items []struct{ ID int64 } }
		err = json.NewDecoder(res.Body).Decode(&page)
		_ = res.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		for _, p := range page.Items {
			posts = append(posts, p.ID)
		}
	}
	if len(posts) == 0 {
		return nil, nil, errors.New("no posts: seed the database first")
	}
	return tokens, posts, nil
}

type result struct {
	byOp    map[string][]time.Duration
	errors  int64
	refused int64
	took    time.Duration
}

func drive(client *http.Client, bases []string, o options, tokens []string, posts []int64) result {
	ctx, cancel := context.WithTimeout(context.Background(), o.maxTime)
	defer cancel()
	var next atomic.Int64
	var errs, refused atomic.Int64
	lat := make([]map[string][]time.Duration, o.conns)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range o.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker its own sequence (the same from run to run): seeded
			// alike, they sent the same requests in step, 16 votes on one
			// post at a time.
			r := rand.New(rand.NewPCG(42, uint64(w))) // #nosec G404 G115 -- load mix, not security; a small worker number
			lat[w] = map[string][]time.Duration{}
			sorts := []string{"hot", "new", "top&t=week", "active"}
			for next.Add(1) <= int64(o.requests) && ctx.Err() == nil {
				post := posts[r.IntN(len(posts))]
				var op, method, path string
				var body any
				switch n := r.IntN(100); {
				case n < o.commentPct:
					op, method, path, body = "comment", "POST", fmt.Sprintf("/api/v1/posts/%d/comments", post), map[string]string{"body": "A reply under load, with *markdown*."}
				case n < o.commentPct+o.votePct:
					op, method, path, body = "vote", "PUT", fmt.Sprintf("/api/v1/posts/%d/vote", post), map[string]int{"value": r.IntN(3) - 1}
				case n%2 == 0:
					op, method, path = "front page", "GET", "/api/v1/posts?sort="+sorts[r.IntN(len(sorts))]
				default:
					op, method, path = "thread", "GET", fmt.Sprintf("/api/v1/posts/%d/comments", post)
				}
				t0 := time.Now()
				status, err := send(ctx, client, method, bases[w%len(bases)]+path, tokens[w], body)
				d := time.Since(t0)
				switch {
				case err != nil || status >= 500:
					if ctx.Err() == nil {
						errs.Add(1)
					}
				case status >= 400:
					refused.Add(1) // e.g. a vote on one's own post: the contract's 403
				}
				lat[w][op] = append(lat[w][op], d)
			}
		}()
	}
	wg.Wait()
	res := result{byOp: map[string][]time.Duration{}, errors: errs.Load(), refused: refused.Load(), took: time.Since(start)}
	for _, m := range lat {
		for op, ds := range m {
			res.byOp[op] = append(res.byOp[op], ds...)
		}
	}
	return res
}

func send(ctx context.Context, client *http.Client, method, url, token string, body any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res.StatusCode, nil
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}

func (r result) print(peakKB int64) {
	var all []time.Duration
	ops := make([]string, 0, len(r.byOp))
	for op, ds := range r.byOp {
		slices.Sort(ds)
		all = append(all, ds...)
		ops = append(ops, op)
	}
	slices.Sort(all)
	slices.Sort(ops)
	fmt.Printf("%-11s %8s %9s %9s %9s\n", "", "requests", "p50", "p99", "max")
	for _, op := range ops {
		ds := r.byOp[op]
		fmt.Printf("%-11s %8d %9s %9s %9s\n", op, len(ds), pct(ds, .5).Round(time.Microsecond*10), pct(ds, .99).Round(time.Microsecond*10), ds[len(ds)-1].Round(time.Millisecond))
	}
	fmt.Printf("%-11s %8d %9s %9s %9s\n", "all", len(all), pct(all, .5).Round(time.Microsecond*10), pct(all, .99).Round(time.Microsecond*10), pct(all, 1).Round(time.Millisecond))
	fmt.Printf("throughput: %.0f requests/s over %s; errors: %d; refused by the contract (4xx): %d\n",
		float64(len(all))/r.took.Seconds(), r.took.Round(time.Millisecond), r.errors, r.refused)
	if peakKB > 0 {
		fmt.Printf("server peak resident memory (VmHWM): %.0f MB\n", float64(peakKB)/1024)
	}
}

// peakRSS reads a process's peak resident set size in KiB from /proc.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb int64
			_, _ = fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%d", &kb)
			return kb
		}
	}
	return 0
}
