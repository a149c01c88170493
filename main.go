// Command resepsjon is the reception app of a small health practice: a client
// register in SQLite, filled from Norsk helsenett's Persontjenesten.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "resepsjon:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 && args[0] == "version" {
		fmt.Println("resepsjon dev")
		return nil
	}
	return fmt.Errorf("not yet implemented")
}
