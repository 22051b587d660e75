// vendor/ is used when present (-mod=vendor): greet comes from there.
package main

import (
	"fmt"
	"net/http"
	"os"

	"example.test/greet"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, greet.Hello("go-vendor")) })
	if err := http.ListenAndServe(":"+os.Getenv("PORT"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
