// Package records is the record store: the aggregated data itself, one
// dataset per catalog resource, each load a new immutable version.
//
// # Model
//
// A dataset (DatasetSpec) has typed columns, one per data item, and key
// columns (the primary-key items). Every load writes a version through a
// VersionWriter: Full replaces the rows, Incremental upserts rows by key
// and deletes keys. Versions are numbered 1, 2, ... and published by
// Commit in one catalog transaction: until then readers see the previous
// version, and a load that fails, is aborted or dies with its process
// publishes nothing. Rows are never visible half-loaded: what a writer
// wrote is invisible because no published version refers to it, and it is
// removed by Abort or, after a crash, when the store is next opened
// (Leftovers lists it meanwhile). One version of a dataset is written at a
// time (BeginVersion fails with Conflict otherwise).
//
// A full load starts a generation; incremental versions extend the
// generation they build on. Retain(keep) drops the versions older than the
// keep newest and the storage only they used. Each stored row keeps its
// provenance: the version (and so the load, its source and time) that
// wrote it, its 1-based row in that load's source, and the version that
// replaced or deleted it (Provenance).
//
// Keys passed to Delete, HasKeys and Provenance are the key columns'
// values as SQL literals of their types: text as is, dates as YYYY-MM-DD,
// timestamps as YYYY-MM-DD HH:MM:SS[.ffffff], numbers in decimal.
//
// # DuckDB (embedded)
//
// OpenDuckDB keeps a catalog in a DuckDB file (rs_datasets, rs_versions,
// rs_files, rs_tombstones) and the rows in Parquet files in the directory
// beside it (PATH.files/<dataset id>/), the layout of a lakehouse table.
// A version is a set of files of its generation plus tombstones: a
// tombstone (file, row number, version) says an incremental version
// replaced or deleted that row. Readers scan the files with read_parquet,
// anti-joined with the tombstones up to the version.
//
// The files are written by this package's own Parquet writer (PLAIN
// values, RLE definition levels, no compression, min/max statistics on key,
// integer and date columns), from concurrent writers into one part file
// each. That is the load's fast path. Measured on the 2-core machine
// (2,000,000 rows of 12 columns, 200 bytes a row), the ways to put rows
// into DuckDB cost, in CPU time per row:
//
//   - DuckDB's own read_csv into a persistent table: 7 to 9 µs (3.5 to 4.5
//     on 2 cores: about 250,000 to 410,000 rows/s); the persistent table's
//     compression is most of it, read_csv into an in-memory table costs half;
//   - a Go table function (duckdb-go's chunk API, VectorWriter per value,
//     two cgo calls a cell) feeding INSERT INTO a persistent table: 9.6 µs;
//   - the Appender row by row: slower still (DESIGN.md: 240,000 rows/s);
//   - this Parquet writer: 0.5 to 0.9 µs, the rest of the load being
//     parsing and the rules (see internal/ingest).
//
// Publishing writes the files, syncs them and their directory to disk,
// then commits the catalog rows (files, tombstones, version) in one DuckDB
// transaction. Files no committed row names are deleted at open. An
// incremental commit finds the rows it replaces with one join of the new
// files' keys (and the deleted keys) against the live rows of the
// generation.
//
// # PostgreSQL
//
// OpenPostgres keeps the catalog in rs_datasets, rs_versions and rs_loads,
// and each generation's rows in a table rs_<dataset id>_g<generation>
// whose rows carry _vfrom (the version that wrote the row), _vto (the
// version that replaced or deleted it, NULL while current) and _row. A
// version v sees the rows with _vfrom <= v < _vto. A full load creates the
// generation table and COPYs into it in binary format from several
// connections; an incremental load COPYs into an unlogged staging table
// (deleted keys into another), and Commit's transaction closes the
// replaced rows (_vto), moves the staged rows in and records the version.
// A load holds a session advisory lock on its dataset; tables of
// unpublished versions are dropped at open when their dataset's lock is
// free.
//
// # Moving to Citus
//
// Nothing in the PostgreSQL layout needs a cross-shard constraint: no
// foreign keys, one table per generation, and DatasetSpec.DistributionKey
// (the first key column) as the one distribution key of a dataset. On
// Citus the catalog tables become reference tables, each generation and
// staging table is created with create_distributed_table(table,
// distribution key) colocated with its dataset's other tables, so that
// COPY is spread over the workers and Commit's UPDATE ... FROM staging
// joins on the distribution key shard by shard.
package records
