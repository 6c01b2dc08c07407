module sitepod.io/cluster/pause

go 1.26
