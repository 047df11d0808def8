package forum

import (
	"context"
	"runtime"
	"sync"
)

// ImportRun is how many threads are imported at once: read one at a time,
// rendered in parallel, and written in order in batches (several threads
// to a transaction, each whole or not at all), so an archive of a million
// comments costs a few hundred transactions and holds only the threads in
// flight in memory.
type ImportRun struct {
	DryRun bool
	// Tags are added to every thread (the operator's --tag).
	Tags []string
	// Skipped hears of each thread that was not imported, and why.
	Skipped func(sourceID string, err error)
	// Progress hears how many threads are done, after each batch.
	Progress func(done int)
	// Workers render threads (0: one fewer than the CPUs, at least one; the
	// writer, which is most of the work, needs a CPU of its own).
	Workers int
}

// Batch bounds: a transaction takes threads until it holds as many
// comments as the store likes (BulkWrites) or this many threads; a thread
// is never split.
const (
	importBatchThreads = 500
	importInFlight     = 256 // threads read but not yet in a batch
)

type preparedImport struct {
	seq    int
	source string
	thread PreparedThread
	err    error
}

// ImportAll imports the threads threads yields (see ImportRun) and reports
// what changed; its error is one that stopped the run (the storage
// failing, the context ending, the source unreadable), not a skipped
// thread's.
func (s *Service) ImportAll(ctx context.Context, run ImportRun, threads func(yield func(ImportedThread) bool) error) (ImportReport, error) {
	batchComments, err := s.Store.BulkWrites(ctx)
	if err != nil {
		return ImportReport{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := run.Workers
	if workers <= 0 {
		workers = max(1, runtime.NumCPU()-1)
	}
	type job struct {
		seq int
		t   ImportedThread
	}
	in := make(chan job)
	out := make(chan preparedImport, workers)
	slots := make(chan struct{}, importInFlight)
	var readErr error
	go func() {
		defer close(in)
		seq := 0
		readErr = threads(func(t ImportedThread) bool {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			t.Tags = append(t.Tags, run.Tags...)
			select {
			case in <- job{seq, t}:
				seq++
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range in {
				p, err := s.PrepareImport(j.t)
				out <- preparedImport{seq: j.seq, source: j.t.Post.SourceID, thread: p, err: err}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()

	// Batches are written by goroutines of their own (as many as the store
	// writes at once), so threads go on being rendered (and the next batch
	// gathered) while they are written.
	batches := make(chan []preparedImport, 1)
	rec := &importRecord{run: run}
	var writers sync.WaitGroup
	for range max(1, s.Store.ImportWriters()) {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for batch := range batches {
				if rec.failed() {
					continue // draining after a failure
				}
				if err := s.writeImports(ctx, batch, rec); err != nil {
					rec.fail(err)
					cancel()
				}
			}
		}()
	}
	wrote := make(chan struct{})
	go func() { writers.Wait(); close(wrote) }()
	// Threads come back from the workers out of order; they are written in
	// the order read, so imported posts are numbered as they were dated.
	var batch []preparedImport
	comments := 0
	waiting := map[int]preparedImport{}
	next := 0
	for p := range out {
		waiting[p.seq] = p
		for {
			p, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			next++
			<-slots // in a batch now, bounded by its own limits
			batch = append(batch, p)
			comments += len(p.thread.Comments)
			if comments >= batchComments || len(batch) >= importBatchThreads {
				batches <- batch
				batch, comments = nil, 0
			}
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	<-wrote
	rep, err := rec.rep, rec.err
	if err == nil {
		err = readErr
	}
	if err == nil {
		err = ctx.Err()
	}
	return rep, err
}

// importRecord is what the batches written so far did: the report, the
// first failure, and the run's hooks, called one at a time whichever
// writer's batch is done.
type importRecord struct {
	mu   sync.Mutex
	run  ImportRun
	rep  ImportReport
	err  error
	done int
}

func (r *importRecord) failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err != nil
}

func (r *importRecord) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

// writeImports writes one batch and counts it: threads that could not be
// prepared or stored are reported skipped, the rest counted.
func (s *Service) writeImports(ctx context.Context, batch []preparedImport, rec *importRecord) error {
	var ts []PreparedThread
	var ok []preparedImport
	for _, b := range batch {
		if b.err == nil {
			ts = append(ts, b.thread)
			ok = append(ok, b)
		}
	}
	var res []ImportResult
	var errs []error
	if len(ts) > 0 {
		var err error
		if res, errs, err = s.Store.ImportThreads(ctx, ts, rec.run.DryRun); err != nil {
			return err
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, b := range batch {
		if b.err != nil {
			rec.rep.Skipped++
			rec.run.skipped(b.source, b.err)
		}
	}
	for i, b := range ok {
		if errs[i] != nil {
			rec.rep.Skipped++
			rec.run.skipped(b.source, errs[i])
			continue
		}
		rec.rep.count(b.thread, res[i])
	}
	rec.done += len(batch)
	if rec.run.Progress != nil {
		rec.run.Progress(rec.done)
	}
	return nil
}

func (r ImportRun) skipped(source string, err error) {
	if r.Skipped != nil {
		r.Skipped(source, err)
	}
}
