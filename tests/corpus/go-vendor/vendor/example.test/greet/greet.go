// Package greet is a dependency that exists only in vendor/ (no module proxy is reachable).
package greet

// Hello says who answers, and that the vendored copy was compiled in.
func Hello(who string) string { return who + ": hello from vendor/example.test/greet" }
