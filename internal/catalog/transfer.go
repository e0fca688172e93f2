package catalog

// ImportOptions control a file import.
type ImportOptions struct {
	Partial  bool   // import the valid rows and report the others; default: all or nothing
	Encoding string // CSV: "" = detect (UTF-8 with or without BOM, GBK, GB18030)
	Sheet    string // XLSX: the resources sheet, "" = the template's
	Reason   string // recorded with every imported version
	Filename string // for messages and the rejects file name
}

// RowError is one problem of an imported file, located by sheet, row and
// column.
type RowError struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	ZH      string `json:"message_zh"`
}

// ImportReport tells what an import did.
type ImportReport struct {
	Rows     int        `json:"rows"`     // entries read
	Imported int        `json:"imported"` // entries stored
	Rejected int        `json:"rejected"` // entries refused
	Errors   []RowError `json:"errors"`
	// RejectsFile names where, with Partial, the rejected rows were kept
	// for their owner to fix and import again.
	RejectsFile string   `json:"rejects_file,omitempty"`
	IDs         []string `json:"ids,omitempty"`
}
