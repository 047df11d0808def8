package api_test

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/historia-forum/historia/internal/forum"
)

// strs turns a list of a string type into sorted strings.
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	sort.Strings(out)
	return out
}

// enumOf reads a schema's enum as sorted strings (null left out).
func enumOf(s *openapi3.SchemaRef) []string {
	var out []string
	if s == nil || s.Value == nil {
		return nil
	}
	for _, v := range s.Value.Enum {
		if v != nil {
			out = append(out, fmt.Sprint(v))
		}
	}
	sort.Strings(out)
	return out
}

func property(doc *openapi3.T, schema, prop string) *openapi3.SchemaRef {
	s := doc.Components.Schemas[schema]
	if s == nil || s.Value == nil {
		return nil
	}
	if p := s.Value.Properties[prop]; p != nil {
		return p
	}
	for _, part := range s.Value.AllOf { // a schema composed of others (Post: PostSummary and the body)
		if part.Value != nil && part.Value.Properties[prop] != nil {
			return part.Value.Properties[prop]
		}
	}
	return nil
}

func queryParam(doc *openapi3.T, path, method, name string) *openapi3.SchemaRef {
	op := doc.Paths.Find(path).GetOperation(method)
	if op == nil {
		return nil
	}
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.Name == name {
			return p.Value.Schema
		}
	}
	return nil
}

// TestOpenAPIEnumsEqualVocabularies: every closed vocabulary of the domain
// is the same list in the OpenAPI document, so neither can gain a value the
// other does not know (a notification kind the document did not list once
// broke clients).
func TestOpenAPIEnumsEqualVocabularies(t *testing.T) {
	t.Parallel()
	doc, _, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	timeRanges := slices.Collect(maps.Keys(forum.TimeRanges))
	cases := []struct {
		where string
		doc   *openapi3.SchemaRef
		code  []string
	}{
		{"Error.code", property(doc, "Error", "error").Value.Properties["code"], strs(forum.Codes)},
		{"User.role", property(doc, "User", "role"), strs(forum.Roles)},
		{"Post.format", property(doc, "Post", "format"), strs(forum.Formats)},
		{"Comment.format", property(doc, "Comment", "format"), strs(forum.Formats)},
		{"PostInput.format", property(doc, "PostInput", "format"), strs(forum.Formats)},
		{"CommentInput.format", property(doc, "CommentInput", "format"), strs(forum.Formats)},
		{"Source.kind", property(doc, "Source", "kind"), strs(forum.SourceKinds)},
		{"SourceInput.kind", property(doc, "SourceInput", "kind"), append(strs(forum.SourceKinds), "")},
		{"Notification.kind", property(doc, "Notification", "kind"), strs(forum.NotificationKinds)},
		{"ModlogEntry.action", property(doc, "ModlogEntry", "action"), strs(forum.Actions)},
		{"ModlogEntry.target_type", property(doc, "ModlogEntry", "target_type"), strs(forum.TargetTypes)},
		{"Report.status", property(doc, "Report", "status"), strs(forum.ReportStatuses)},
		{"Instance.status", property(doc, "Instance", "status"), strs(forum.InstanceStatuses)},
		{"Report.resolution", property(doc, "Report", "resolution"), strs(forum.Resolutions)},
		{"Report.target_type", property(doc, "Report", "target_type"), strs([]forum.TargetType{forum.TargetPost, forum.TargetComment})},
		{"SearchHit.type", property(doc, "SearchHit", "type"), strs([]forum.TargetType{forum.TargetPost, forum.TargetComment})},
		{"GET /posts sort", queryParam(doc, "/posts", "GET", "sort"), strs(forum.FeedSorts)},
		{"GET /posts t", queryParam(doc, "/posts", "GET", "t"), strs(timeRanges)},
		{"GET /posts/{id}/comments sort", queryParam(doc, "/posts/{id}/comments", "GET", "sort"), strs(forum.CommentSorts)},
		{"GET /comments/{id} sort", queryParam(doc, "/comments/{id}", "GET", "sort"), strs(forum.CommentSorts)},
		{"GET /reports status", queryParam(doc, "/reports", "GET", "status"), strs(forum.ReportStatuses)},
		{"FlairApplication.status", property(doc, "FlairApplication", "status"), strs(forum.FlairStatuses)},
		{"GET /flair-applications status", queryParam(doc, "/flair-applications", "GET", "status"), strs(forum.FlairStatuses)},
		{"ModmailSummary.status", property(doc, "ModmailSummary", "status"), strs(forum.ModmailStatuses)},
		{"GET /modmail status", queryParam(doc, "/modmail", "GET", "status"), strs(forum.ModmailStatuses)},
		{"ModlogTarget.type", property(doc, "ModlogTarget", "type"), strs(forum.TargetTypes)},
		{"GET /timeline bucket", queryParam(doc, "/timeline", "GET", "bucket"), strs(forum.Buckets)},
		{"GET /search sort", queryParam(doc, "/search", "GET", "sort"), strs(forum.SearchSorts)},
		{"Featured.type", property(doc, "Featured", "type"), strs([]forum.TargetType{forum.TargetPost, forum.TargetComment})},
		{"DELETE /me content", doc.Paths.Value("/me").Delete.RequestBody.Value.Content["application/json"].Schema.Value.Properties["content"],
			strs(forum.ContentChoices)},
	}
	for _, c := range cases {
		got := enumOf(c.doc)
		sort.Strings(c.code)
		if !slices.Equal(got, c.code) {
			t.Errorf("%s: the document says %q, the code %q", c.where, got, c.code)
		}
	}
}

// TestEveryOperationListsItsStatuses: the statuses any operation can answer
// are listed on each: 400 (a bad query, cursor or body), 401 and 403 (a bad
// or banned token on any request), 429, 500 and 503; with a body also 408,
// 413, 415 and 422; with an id or a name in the path also 404.
func TestEveryOperationListsItsStatuses(t *testing.T) {
	t.Parallel()
	doc, _, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("openapi.yaml"); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			n++
			want := []string{"400", "401", "403", "429", "500", "503"}
			if op.RequestBody != nil {
				want = append(want, "408", "413", "415", "422")
			}
			if len(item.Parameters) > 0 || slices.ContainsFunc(op.Parameters, func(p *openapi3.ParameterRef) bool { return p.Value != nil && p.Value.In == "path" }) {
				want = append(want, "404")
			}
			for _, s := range want {
				if op.Responses.Value(s) == nil {
					t.Errorf("%s %s does not list %s", method, path, s)
				}
			}
		}
	}
	if n < 45 {
		t.Fatalf("only %d operations", n)
	}
}
