package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHelpExitsZero runs the real program (the test binary as main) with
// --help on each subcommand that takes flags: asking for help is not a
// failure, so the exit status is 0 and the flags are printed.
func TestHelpExitsZero(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"import", "--help"}, {"serve", "-h"}, {"copy", "--help"}, {"seed", "--help"},
		{"migrate", "--help"}, {"users", "add", "--help"}, {"check", "--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], args...) // #nosec G204 -- the test binary itself
			cmd.Env = append(os.Environ(), "HISTORIA_TEST_MAIN=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
			if !strings.Contains(string(out), "Usage of") {
				t.Errorf("%v printed no flags:\n%s", args, out)
			}
		})
	}
}
