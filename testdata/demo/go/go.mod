module example.com/avcorp/sentinel

go 1.22
