package verify

// Test helpers for the external test package.
var (
	WriteVersion    = writeVersion
	PeopleSpec      = peopleSpec
	LicenceSpec     = licenceSpec
	EachRecordStore = eachRecordStore
	RecordStores    = recordStores
)
