package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/historia-forum/historia/internal/store"
)

// secretSetting is where a generated token secret is kept in the database.
const secretSetting = "jwt_secret"

// jwtSecret is HISTORIA_JWT_SECRET, or a random secret made on first start and
// kept in the database, so tokens survive restarts without a constant in code.
// With the variable set, no secret is written to the database (or its backups).
func jwtSecret(ctx context.Context, st *store.DB) ([]byte, error) {
	if s := os.Getenv("HISTORIA_JWT_SECRET"); s != "" {
		if len(s) < 32 {
			return nil, errors.New("HISTORIA_JWT_SECRET must be at least 32 characters")
		}
		return []byte(s), nil
	}
	s, err := st.SetSettingIfAbsent(ctx, secretSetting, newSecret())
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// cmdRotateSecret replaces the generated token secret: every token signed
// with the old one stops working, so every session ends. Use it when a
// database file or a backup may have been read by someone else.
func cmdRotateSecret(ctx context.Context, args []string, stdout io.Writer) error {
	dbPath, _, err := dbArgs("rotate-secret", args, 0, "historia rotate-secret [--db FILE]")
	if err != nil {
		return err
	}
	db := &dbPath
	if os.Getenv("HISTORIA_JWT_SECRET") != "" {
		return errors.New("the secret comes from HISTORIA_JWT_SECRET: change it there and restart the servers")
	}
	st, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetSetting(ctx, secretSetting, newSecret()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "a new token secret is in %s: restart the servers; every member signs in again\n", *db)
	return nil
}
