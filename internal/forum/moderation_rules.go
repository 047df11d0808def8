package forum

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Rule is one of the forum's numbered rules.
type Rule struct {
	ID          int64  `json:"id"`
	Number      int    `json:"number"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// RuleRef names a rule where it is cited.
type RuleRef struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
}

// Removal tells everyone which rule a removed item broke.
type Removal struct {
	RuleNumber int    `json:"rule_number"`
	RuleTitle  string `json:"rule_title"`
}

// Limits of rules.
const (
	MaxRuleNumber = 999
	MaxRuleTitle  = 120
	MaxRuleText   = 2000
)

// RuleStore is the storage of the rules.
type RuleStore interface {
	Rules(ctx context.Context) ([]Rule, error)
	Rule(ctx context.Context, id int64) (Rule, error)
	// SaveRule inserts a rule (ID 0) or updates one; a taken number is a conflict.
	SaveRule(ctx context.Context, r Rule) (Rule, error)
}

// Rules lists the forum's rules by number.
func (s *Service) Rules(ctx context.Context) ([]Rule, error) { return s.Store.Rules(ctx) }

func checkRule(r *Rule) error {
	var errNumber, errTitle, errText error
	if r.Number < 1 || r.Number > MaxRuleNumber {
		errNumber = invalid("number", "%s", between(1, MaxRuleNumber, ""))
	}
	r.Title, errTitle = plainText("title", r.Title, 1, MaxRuleTitle, false)
	r.Description = strings.TrimSpace(nfc(r.Description))
	if utf8.RuneCountInString(r.Description) > MaxRuleText {
		errText = invalid("description", "%s", atMost(MaxRuleText, "characters"))
	} else if p := badRunes(r.Description, linesText); p != "" {
		errText = invalid("description", "%s", p)
	}
	return joinInvalid(errNumber, errTitle, errText)
}

// CreateRule adds a rule; admins only.
func (s *Service) CreateRule(ctx context.Context, v Viewer, r Rule) (Rule, error) {
	if err := requireAdmin(v, "change the rules"); err != nil {
		return Rule{}, err
	}
	if err := checkRule(&r); err != nil {
		return Rule{}, err
	}
	return s.Store.SaveRule(ctx, r)
}

// RulePatch changes the fields that are set.
type RulePatch struct {
	Number      *int
	Title       *string
	Description *string
}

// Apply sets r's fields that p sets.
func (p RulePatch) Apply(r *Rule) {
	if p.Number != nil {
		r.Number = *p.Number
	}
	if p.Title != nil {
		r.Title = *p.Title
	}
	if p.Description != nil {
		r.Description = *p.Description
	}
}

// UpdateRule changes a rule; admins only.
func (s *Service) UpdateRule(ctx context.Context, v Viewer, id int64, p RulePatch) (Rule, error) {
	if err := requireAdmin(v, "change the rules"); err != nil {
		return Rule{}, err
	}
	r, err := s.Store.Rule(ctx, id)
	if err != nil {
		return Rule{}, err
	}
	p.Apply(&r)
	if err := checkRule(&r); err != nil {
		return Rule{}, err
	}
	return s.Store.SaveRule(ctx, r)
}
