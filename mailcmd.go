package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	keyring "github.com/zalando/go-keyring"
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
		return &usageError{"sett mail.host og mail.user i config.yaml først / set mail.host and mail.user in config.yaml first"}
	}
	fmt.Fprintf(env.stderr, "Skriv passordet til %s på %s og trykk Enter / Type the password of %s at %s and press Enter:\n",
		cfg.Mail.User, cfg.Mail.Host, cfg.Mail.User, cfg.Mail.Host)
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return &usageError{"tomt passord / empty password"}
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
		return errors.New("Fant ingen nøkkelring (Secret Service), eller den er låst. Start eller lås opp nøkkelringen og prøv igjen.\n" +
			"No OS keyring (Secret Service) was found, or it is locked. Start or unlock the keyring and try again: " + err.Error())
	}
	fmt.Fprintln(env.stderr, "Passordet er lagret i nøkkelringen. / The password is stored in the OS keyring.")
	return nil
}
