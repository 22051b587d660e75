module example.test/goroot

go 1.19
