// Package quality is the row-level rule engine of data governance: it
// checks the rows of a table against the rules of its catalog resource
// before they are loaded into the record store.
//
// A rule set is compiled once for a header (Compile), then Program.Check
// runs over each row. Check is allocation-free on rows that pass and needs
// no lock, so one Program serves many goroutines.
//
// # Rules
//
// Rules come from the columns (required, data type and length, code lists,
// and the rules implied by standard data elements, such as the citizen ID
// number rule on DE00001 columns) and from an explicit rule set: enum,
// region code, regex, numeric range, date and date-time formats, citizen
// ID number, unified social credit code, mobile number, e-mail, ID number
// or USCC, and the cross-field rules id_birth_sex (the birth date and sex
// columns agree with the ID number) and date_order. See CompileAt and Kind.
//
// A rule of severity Error rejects the row (the load pipeline quarantines
// it); a Warning keeps it and records the issue. Violations carry the
// column, the rule, the severity and a message Key with Chinese and
// English texts.
//
// Dataset-level rules (unique key, reference) are declared in the same rule
// set and returned by Program.Dataset, but the load pipeline evaluates
// them: Unique finds duplicate keys in bounded memory.
package quality
