package quality

import (
	"slices"
	"testing"
)

// FuzzIDBirthSexTrustsTheIDRule: the cross-field rule skips its own
// well-formedness check of an ID number that passed the ID-number rule in
// the same row (idBirthSex.idChecked). Whatever the ID, birth date and sex,
// the violations are the same as with the check done every time.
func FuzzIDBirthSexTrustsTheIDRule(f *testing.F) {
	f.Add(goodRow[0], goodRow[3], goodRow[2])
	f.Add(goodRow[0], "1990-03-08", "2")
	f.Add(goodRow[0][:17]+"0", "19900307", "女")
	f.Add("35010219900230123X", "1990-02-30", "1")
	f.Add(" "+goodRow[0]+" ", "", "M")
	f.Add("", "1990-03-07", "1")
	p := compilePopulation(f)
	trusting := slices.ContainsFunc(p.steps, func(s step) bool {
		ibs, ok := s.row.(idBirthSex)
		return ok && ibs.idChecked
	})
	if !trusting {
		f.Fatalf("the population program's cross-field rule does not trust its ID-number rule")
	}
	always := *p
	always.steps = slices.Clone(p.steps)
	for i, s := range always.steps {
		if ibs, ok := s.row.(idBirthSex); ok {
			ibs.idChecked = false
			always.steps[i].row = ibs
		}
	}
	f.Fuzz(func(t *testing.T, id, birth, sex string) {
		row := with(0, id, 3, birth, 2, sex)
		var got, want []Violation
		okGot := p.Check(row, &got)
		okWant := always.Check(row, &want)
		if okGot != okWant || !slices.Equal(got, want) {
			t.Errorf("row %q: Check = %v %v, with the ID checked again %v %v", row, okGot, got, okWant, want)
		}
	})
}
