// Package verify is multi-source verification (多源校核, GOV-3): it
// compares the same facts held by two providers. Two datasets of the
// record store are joined on a key item (such as 公民身份号码) and compared
// on chosen attributes (姓名, 出生日期, 户籍地址 ...). A run reports the rows
// and keys of each side, the keys found on both, on one side only, the
// matches and conflicts of every attribute, and a bounded sample of the
// conflicts; it names the side that is the authoritative source (一数一源),
// as the caller found it among the catalog's sources.
//
// # Semantics
//
// Keys and values are compared as stored. Two NULLs match; a NULL and a
// value conflict. Values of columns of different types are compared as
// text (dates as YYYY-MM-DD). Rows with a NULL key are counted, not
// compared. A key held by several rows of one side (possible only when
// the key item is not the dataset's primary key) is ambiguous: it counts
// as matched when the other side has it, but its attributes are not
// compared. The sample holds the first SampleLimit conflicts in the order
// of the key's text, then of the attributes as requested.
//
// # Methods
//
// Compare reads any records.Store through Store.Scan ("scan"), holding
// both sides' keys and compared values in memory. On the DuckDB store it
// runs the comparison as two SQL queries over the version's Parquet files
// instead ("duckdb_sql"): a full outer join for the counts and an inner
// join for the sample. On the PostgreSQL store it runs it inside the
// database ("postgres_sql", postgres.go), over the generation tables'
// rows each version sees, as one statement: one full outer join, its rows
// counted by class and the first conflicts read from them. Values are
// compared as scan compares their text, text byte by byte whatever the
// columns' collation; a floating-point key, or a floating-point item
// compared with an item of another type, is left to scan (PostgreSQL
// renders floats as text unlike Go and DuckDB). The SQL methods take a
// key that is the dataset's primary key to be held by one row (the
// loads' key-uniqueness rule sees to it); scan counts the rows.
//
// # Speed
//
// BenchmarkVerify (and Bench, for a bench command) compares two generated
// population datasets of 1,000,000 rows each (sources 0 and 1 of
// gen.Population, 1% conflicts) loaded into the DuckDB store, or the
// PostgreSQL one, on 姓名, 出生日期 and 户籍地址. On the 2-core machine,
// shared with other work: duckdb_sql 0.55 s (1.0 s of CPU) when the cores
// were free, 1.2 to 2.1 s under a load average of 3; scan 7.2 to 13 s
// (8.2 to 9.4 s of CPU, two thirds of it in Store.Scan's row decoding,
// peak RSS 1.5 GiB). On PostgreSQL 15 (docs/benchmarks.md, 2026-11-27,
// load average 3 to 4): postgres_sql 3.0 to 4.8 s (3.0 to 4.0 s of the
// server's CPU), scan 8.9 to 19.3 s (12 to 16 s of CPU decoding rows).
// All find exactly the 9,869 conflicting keys the generator injected.
//
// # Runs
//
// Service.Run compares and stores the report in the control store
// (verification_runs), with who ran it and the two resources, so that
// runs can be listed and read later and rectification tickets raised
// from them (internal/rectify).
package verify
