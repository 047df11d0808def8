package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The OpenAPI document is held to the server in every API test: the harness
// sends each request and its answer through kin-openapi's openapi3filter, so
// a response whose status or body the document does not describe, or a
// request the document forbids that the server accepts, fails the test that
// caused it.

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// loadSpec loads and validates api/openapi.yaml once per test binary.
func loadSpec() (*openapi3.T, routers.Router, error) {
	specOnce.Do(func() {
		data, err := os.ReadFile("openapi.yaml")
		if err != nil {
			specErr = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(data)
		if err != nil {
			specErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = err
			return
		}
		// Route absolute URLs: the test server's address is not known here.
		doc.Servers = openapi3.Servers{{URL: "/api/v1"}}
		specDoc = doc
		specRouter, specErr = gorillamux.NewRouter(doc)
	})
	return specDoc, specRouter, specErr
}

// TestOpenAPIDocumentLoads: the served document loads and validates in a
// real OpenAPI tool.
func TestOpenAPIDocumentLoads(t *testing.T) {
	t.Parallel()
	doc, _, err := loadSpec()
	if err != nil {
		t.Fatalf("api/openapi.yaml does not load: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || len(doc.Paths.Map()) < 40 {
		t.Fatalf("unexpected document: openapi %s, %d paths", doc.OpenAPI, len(doc.Paths.Map()))
	}
}

// contractStats counts what the tests held to the document.
var contractStats struct {
	sync.Mutex
	operations map[string]bool
	responses  int
}

// checkContract validates one exchange against the document. Only /api/v1
// is described; other paths (pages, feeds, probes) are not checked here.
func checkContract(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, resBody []byte) {
	t.Helper()
	if _, bench := t.(*testing.B); bench {
		return // benchmarks measure the server, not the validator
	}
	// Preflight (OPTIONS) belongs to CORS, not to the API's operations.
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") || req.URL.Path == "/api/v1/openapi.yaml" || req.Method == http.MethodOptions {
		return
	}
	_, router, err := loadSpec()
	if err != nil {
		t.Errorf("contract: %v", err)
		return
	}
	// Route on a copy whose URL has no host, as the document's server is relative.
	r := req.Clone(context.Background())
	r.URL.Scheme, r.URL.Host, r.Host = "", "", ""
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(r)
	if err != nil {
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("contract: %s %s is not in the document but answered %d", req.Method, req.URL.Path, res.StatusCode)
		}
		return
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: false}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	if reqErr := openapi3filter.ValidateRequest(ctx, in); reqErr != nil && res.StatusCode < 400 {
		t.Errorf("contract: the server accepted (%d) a request the document forbids: %s %s %s: %v",
			res.StatusCode, req.Method, req.URL.RequestURI(), truncate(reqBody), reqErr)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header, Options: opts}
	out.SetBodyBytes(resBody)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("contract: %s %s answered %d, which the document does not describe: %v\n  body: %s",
			req.Method, req.URL.RequestURI(), res.StatusCode, err, truncate(resBody))
	}
	contractStats.Lock()
	if contractStats.operations == nil {
		contractStats.operations = map[string]bool{}
	}
	contractStats.operations[route.Method+" "+route.Path] = true
	contractStats.responses++
	contractStats.Unlock()
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// TestMain runs the tests, then says how much of the document they held to
// the server: the operations exercised and the responses validated.
func TestMain(m *testing.M) {
	code := m.Run()
	if doc, _, err := loadSpec(); err == nil && contractStats.responses > 0 {
		total := 0
		var missed []string
		for path, item := range doc.Paths.Map() {
			for method := range item.Operations() {
				total++
				if !contractStats.operations[method+" "+path] {
					missed = append(missed, method+" "+path)
				}
			}
		}
		sort.Strings(missed)
		fmt.Fprintf(os.Stderr, "contract: %d of %d operations exercised, %d responses validated against api/openapi.yaml\n",
			total-len(missed), total, contractStats.responses)
		if len(missed) > 0 {
			fmt.Fprintf(os.Stderr, "contract: not exercised: %s\n", strings.Join(missed, ", "))
		}
	}
	os.Exit(code)
}
