// Another main package, which the build must not pick.
package main

func main() {}
