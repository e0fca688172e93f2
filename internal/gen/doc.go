// Package gen writes synthetic data for the base libraries (基础库): the
// population (人口基本信息), legal persons (法人基本信息) and electronic
// licences (电子证照), as CSV with Chinese headers, reproducibly from a
// seed, with errors injected at a chosen rate and a ground-truth file
// listing them.
//
// # Files
//
// The data file is CSV in UTF-8 (no byte order mark), UTF-8 with a byte
// order mark, GBK or GB18030, with CRLF line ends and a header row of the
// item names. No value contains a comma, a quote or a line break, so no
// value is quoted. Dates are written YYYY-MM-DD. 性别 is written as the
// GB/T 2261.1 code: 1 male, 2 female.
//
// Rare name characters outside GBK (such as 𠮷, U+20BB7, a 4-byte sequence
// in GB18030) appear in about 1 name in 500 in UTF-8 and GB18030 files. A
// GBK file cannot hold them: the generator writes a common character in
// their place (吉 for 𠮷), drawing the same random numbers, so a GBK file
// decodes to the UTF-8 file of the same seed except for those characters.
//
// The truth file (conventionally FILE.truth.csv) is UTF-8 CSV with the
// header row,kind and one line per injected error: the 1-based data row
// number (the first row after the header is 1) and the error kind. A row
// has at most one error kind. For a duplicate key the later row is listed;
// the earlier row it repeats is valid.
//
// # Detectability
//
// Every injected error breaks exactly the rules that internal/quality
// derives from the schema's columns and rules (PopulationSchema and the
// others), and no valid row breaks any: a program compiled from the schema,
// with a quality.Unique on the primary key fed the rows that pass Check,
// rejects exactly the rows of the truth file.
//
// # Speed
//
// Every Chinese text is drawn from fixed pools that are encoded once, with
// golang.org/x/text's GBK and GB18030 encoders, when a generator starts;
// rows are assembled from the encoded bytes, so the output encoding costs
// nothing per row.
package gen
