module example.test/gonomain

go 1.19
