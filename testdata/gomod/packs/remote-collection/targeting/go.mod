module example.com/remote-collection/targeting

go 1.22
