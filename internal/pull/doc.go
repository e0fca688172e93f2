// Package pull is the sources aggregation (汇聚) pulls data from: tables
// and queries of PostgreSQL and MySQL/MariaDB databases (DBSource), and
// JSON APIs read page by page (HTTPSource). Each streams its rows as an
// ingest.Source, so they load through the same engine, rules and
// quarantine as an uploaded file. Sealer encrypts the credentials of
// sources (DSNs, API keys) for the control store.
//
// # Database pulls and the watermark
//
// A DBSource reads a table or a single SELECT in a read-only transaction
// and streams it as CSV in UTF-8 whose header is the source's column
// names; ingest maps them to data items by name or code, and
// ingest.Spec.Mapping covers other names. NULL becomes an empty cell,
// dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS with the fraction of
// a second when there is one (and the offset for PostgreSQL's timestamp
// with time zone), and bytes the text they hold.
//
// Without a watermark column every pull reads every row (load it as
// records.Full). With one, a pull is incremental (load it as
// records.Incremental):
//
//  1. it reads the upper bound: the largest watermark value greater than
//     the last one (the largest of all on the first pull);
//  2. it reads the rows whose watermark is greater than the last value
//     and at most the upper bound, in watermark order;
//  3. DBPull.Watermark reports the upper bound as text once the rows were
//     read to the end. The caller stores it after the load succeeded and
//     passes it back as last on the next pull; a failed load stores
//     nothing, so its rows are pulled again.
//
// Bounding the read by the value read first means a row committed while
// the rows stream, with a larger watermark, is not skipped: the stored
// watermark is below it and the next pull takes it. With no new rows the
// pull yields the header alone and the same watermark. Passing last ""
// pulls everything again.
//
// Both bounds are compared by the database, in the column's own type and
// collation, so integer, timestamp and text columns order correctly;
// integers are sent as integers (MySQL would compare a string with an
// integer as floating point), and timestamps keep their microseconds, so
// the stored text is exactly the bound. The watermark must grow whenever
// a row changes (an update time or a row version) and be set no later than
// the commit: a row committed late with a value below a stored watermark
// is never pulled. Rows whose watermark is NULL are never pulled
// incrementally, and deletions are not seen; a periodic full pull
// (last "") catches both.
//
// # HTTP pulls
//
// An HTTPSource fetches a JSON API page by page (page numbers, offsets, or
// a next link or cursor found in each response) and streams the records,
// which must be objects, as NDJSON: internal/tabular makes the header
// from the keys of the first objects, and nested values become JSON text.
// A page that is not 2xx, not JSON, or lacks its records fails the pull,
// naming the page; MaxPages caps a runaway paging.
//
// # Errors
//
// Configuration errors, and answers of a source that retrying will not
// change (a 4xx status, a missing records path), are apperr.Invalid with
// messages in English and Chinese; connection failures, timeouts and 5xx
// statuses are plain errors, which the aggregation runner retries.
package pull
