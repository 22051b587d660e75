// Never built: the only main package is ./server, so the build stops and names GO_INSTALL_PACKAGE_SPEC.
package main

func main() {}
