module github.com/migsafe/migsafe

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/pganalyze/pg_query_go/v5 v5.1.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	google.golang.org/protobuf v1.31.0
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)
