module example.test/gospec

go 1.19
