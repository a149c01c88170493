package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	keyring "github.com/zalando/go-keyring"

	"resepsjon/messages"
)

// mailPassword stores the SMTP password (read as one line from standard
// input) in the OS keyring under the account mail.user@mail.host, where the
// outbox's sender reads it. It never echoes or logs the password.
func (env *environment) mailPassword(ctx context.Context, args []string) error {
	cfg, err := env.loadConfig("mail-password", args, 0)
	if err != nil {
		return err
	}
	if cfg.Mail.Host == "" || cfg.Mail.User == "" {
		return usageText("cli.mail.not_configured")
	}
	fmt.Fprintln(env.stderr, messages.Inline("cli.mail.prompt", cfg.Mail.User, cfg.Mail.Host))
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return usageText("cli.mail.empty")
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- keyring.Set("resepsjon", mailKeyringAccount(cfg.Mail), pw) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		return messages.Errorf(fmt.Errorf("store the mail password: %w", err), "cli.mail.no_keyring")
	}
	fmt.Fprintln(env.stderr, messages.Inline("cli.mail.stored"))
	return nil
}
