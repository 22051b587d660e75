module example.test/gocmd

go 1.19
