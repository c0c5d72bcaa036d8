module example.com/remote-collection

go 1.22
