// Package ingest is the load engine of aggregation (汇聚): it streams a
// table file into a new version of a dataset in the record store, checking
// every row against the resource's rules on the way, keeping every
// rejected row in quarantine, and publishing the version only when all of
// it is written.
//
// # Pipeline
//
// Load runs five stages connected by bounded channels, so memory stays
// flat whatever the file's size:
//
//   - the reader cuts the file into chunks of whole records (1 MiB of
//     CSV). Record ends are found on the raw bytes: quotes, delimiters and
//     newlines never occur inside a multi-byte character of UTF-8, GBK or
//     GB18030, and a chunk without a quote is cut at its last newline
//     without scanning it byte by byte. XLSX, JSON, NDJSON and UTF-16 CSV
//     are read row by row with internal/tabular;
//   - Options.Workers workers decode (GB18030 by a table, UTF-8 validated),
//     split, map and trim the cells and run the row rules
//     (quality.Program.Check);
//   - the sequencer takes the chunks back in file order, runs the
//     dataset's unique rules (one quality.Unique each: the key's, and any
//     on other columns, where blanks never repeat and typed values compare
//     as values), writes the quarantine and reports progress. With several
//     rules a row's values are recorded only when it passes all of them,
//     so a checker holds only accepted rows' values;
//   - Options.Writers writers convert the accepted rows to the columns'
//     types and write them to the record store (records.VersionWriter,
//     which may be written from several goroutines);
//   - at the end the duplicates are confirmed (quality.Unique keeps
//     64-bit hashes: a flagged row is a duplicate exactly when the version
//     already has its value in the rule's columns. The flags are read
//     back from a file beside the quarantine, a million at a time. The
//     store answers with HasKeys; where that reads the whole version
//     (records.KeysByScan: PostgreSQL), the sequencer also logs the values
//     of every row a checker records to a file, and a flag is confirmed
//     when its first row's logged values are its own, since that row is
//     the only accepted one with the hash. A row all of whose flags were
//     hash collisions is taken back out of quarantine and loaded if it
//     still passes every unique rule), the counts are checked and the
//     version is committed.
//     A unique rule of warning severity on other columns counts the
//     repeats in Result.Warnings (by hash: a collision, about n²/2⁶⁵ for n
//     rows, would count one more) and keeps the rows.
//
// A load fails and publishes nothing when the source cannot be read, the
// context is cancelled, the store fails, or rows read differ from rows
// accepted plus rows rejected; its quarantine file is removed.
//
// # Rows and quarantine
//
// The header is found as internal/tabular finds it (title rows above a
// table are skipped); columns map to data items by the explicit
// Spec.Mapping, then by item name, then by item code in any case. A file
// without a column for a required or key item fails before loading. JSON
// and NDJSON have a column for every item (see jsonOptions): a member an
// object leaves out is an empty value for the rules, and a member naming
// no item is ignored, or, with Source.StrictMembers (pushed batches),
// rejects its row.
// Blank rows are skipped. A row's number is its 1-based position among the
// records after the header (blank ones counted, so numbers match the file
// and the generator's truth files); for XLSX, JSON and NDJSON it is the
// position among the rows internal/tabular yields.
//
// Every rejected row goes to the quarantine file, CSV in UTF-8 with a BOM:
// 行号 (the row number), the source's columns as they were (the raw record
// in the first column when it could not be split), 错误原因 and reasons
// (every broken rule, in Chinese and in English, with the column's name).
// Rows are rejected for broken error-severity rules, malformed CSV, text
// that is not UTF-8 in a UTF-8 file, values right of the last header
// column, a repeated key or unique value, an unknown operation, or a
// delete in a full load.
// Accepted rows that broke warning rules are counted in Result.Warnings.
//
// An incremental load upserts by the key items. A row whose operation
// column (Spec.OpColumn, "_op") says D deletes its key; Options.Deletes
// lists more keys to delete.
//
// # Speed
//
// BenchLoad (and BenchmarkLoad) measure a generated population file of 12
// columns, about 200 bytes a row, with the generator's rules on, against
// DuckDB's own read_csv of the same file into a persistent table with no
// rules, in the same run. On the 2-vCPU AMD EPYC machine of
// docs/benchmarks.md (make bench, 2026-11-27), 10,000,000 rows loaded into
// the DuckDB store at 1,091,852 rows/s in UTF-8 (15.5 s of CPU, peak RSS
// 422 MiB) and 1,110,870 in GB18030, where read_csv managed 618,211 rows/s
// (29.1 s of CPU, 1.3 GiB); into PostgreSQL (binary COPY from two
// connections, the server on the same two cores) at 418,528 and 469,930.
// The CPU per row is about 1.5 µs: splitting and the rules (a third of it
// quality.Program.Check), GB18030 decoding at about 900 MB/s, the
// duplicate check, converting row by row and encoding the Parquet files,
// which are written with O_DIRECT (internal/directio): on these VMs
// faulting in fresh page-cache pages cost more than encoding. UTF-8 is
// validated with SIMD (segmentio/asm).
//
// Peak memory does not grow with the file. It is the chunks in flight
// (about 12 of them, a few MiB each) and one Parquet row group per writer
// (about 25 MiB each), held on a Go heap that stays near 100-250 MB live,
// plus the duplicate checkers, off the Go heap: a table of 64-bit hashes
// and row numbers bounded at Options.MaxKeysInMemory (12,000,000 keys,
// 192 MiB, on huge pages where the kernel allows), then sorted run files
// beside the quarantine whose Bloom filters share Options.KeyFilterBytes
// (256 MiB; runs are merged when it or 16 runs is reached), and the
// flagged rows, waiting for confirmation in a file. The checkers are
// freed before confirmation and commit, where DuckDB takes its share
// (memory_limit 512MB). Measured with pubdata bench ingest --mem-trace
// (docs/benchmarks.md): 596 MiB peak for 100,000,000 rows, with the
// anonymous memory flat from the first spill on, and flat as well with a
// tenth of the budgets on the same file, the equivalent of a billion rows.
package ingest
