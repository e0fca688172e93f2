package quality

import "strings"

// Key identifies the message of a violation. Keys are stable: reports and
// message catalogs may store them.
type Key string

// Message keys.
const (
	KeyRequired        Key = "required"
	KeyTooLong         Key = "type.too_long"
	KeyNumber          Key = "type.number"
	KeyInteger         Key = "type.integer"
	KeyTooManyDigits   Key = "type.too_many_digits"
	KeyDate            Key = "type.date"
	KeyDateTime        Key = "type.datetime"
	KeyLogical         Key = "type.logical"
	KeyEnum            Key = "enum"
	KeyRegion          Key = "region"
	KeyRegex           Key = "regex"
	KeyRangeNumber     Key = "range.number"
	KeyRangeLow        Key = "range.low"
	KeyRangeHigh       Key = "range.high"
	KeyDateFormat      Key = "date.format"
	KeyIDLength        Key = "idcard.bad_length"
	KeyIDChar          Key = "idcard.bad_char"
	KeyIDDate          Key = "idcard.bad_date"
	KeyIDFuture        Key = "idcard.future_date"
	KeyIDCheck         Key = "idcard.bad_check"
	KeyIDRegion        Key = "idcard.unknown_region"
	KeyUSCC            Key = "uscc"
	KeyMobile          Key = "mobile"
	KeyEmail           Key = "email"
	KeyParty           Key = "party_id"
	KeyIDBirthMismatch Key = "id_birth_sex.birth"
	KeyIDSexMismatch   Key = "id_birth_sex.sex"
	KeyDateOrder       Key = "date_order"
	KeyDuplicate       Key = "unique"
	KeyValueDuplicate  Key = "unique.value"
	KeyReference       Key = "reference"
)

var messages = map[Key]struct{ en, zh string }{
	KeyRequired:        {"a value is required", "必填项为空"},
	KeyTooLong:         {"the value is longer than the column allows", "值的长度超过了该项的长度"},
	KeyNumber:          {"the value is not a number", "值不是数值"},
	KeyInteger:         {"the value is not an integer", "值不是整数"},
	KeyTooManyDigits:   {"the number has more digits than the column allows", "数值的位数超过了该项的长度"},
	KeyDate:            {"the value is not a date (YYYYMMDD or YYYY-MM-DD)", "值不是日期(应为YYYYMMDD或YYYY-MM-DD)"},
	KeyDateTime:        {"the value is not a date and time (YYYY-MM-DD HH:MM:SS or YYYYMMDDHHMMSS)", "值不是日期时间(应为YYYY-MM-DD HH:MM:SS或YYYYMMDDHHMMSS)"},
	KeyLogical:         {"the value is not a logical value (1/0, true/false, Y/N, 是/否)", "值不是逻辑值(1/0、true/false、Y/N、是/否)"},
	KeyEnum:            {"the value is not in the code list", "值不在代码表中"},
	KeyRegion:          {"the value is not an administrative division code (GB/T 2260)", "值不是有效的行政区划代码(GB/T 2260)"},
	KeyRegex:           {"the value does not have the required format", "值不符合规定的格式"},
	KeyRangeNumber:     {"the value is not a number", "值不是数值"},
	KeyRangeLow:        {"the value is below the minimum", "值小于下限"},
	KeyRangeHigh:       {"the value is above the maximum", "值大于上限"},
	KeyDateFormat:      {"the date is not in the required format", "日期不符合规定的格式"},
	KeyIDRegion:        {"identity number has an unknown region code", "身份证号码中的行政区划代码无效"},
	KeyUSCC:            {"the value is not a valid unified social credit code", "统一社会信用代码无效"},
	KeyMobile:          {"the value is not a mobile number (11 digits starting with 13-19)", "手机号码无效(应为以13至19开头的11位数字)"},
	KeyEmail:           {"the value is not an e-mail address", "电子邮箱地址无效"},
	KeyParty:           {"the value is neither a valid identity number nor a valid unified social credit code", "值既不是有效的身份证号码,也不是有效的统一社会信用代码"},
	KeyIDBirthMismatch: {"the date of birth does not match the identity number", "出生日期与身份证号码不一致"},
	KeyIDSexMismatch:   {"the sex does not match the identity number", "性别与身份证号码不一致"},
	KeyDateOrder:       {"the date is before the date it must follow", "日期早于应在其之前的日期"},
	KeyDuplicate:       {"the key repeats an earlier row", "主键与前面的行重复"},
	KeyValueDuplicate:  {"the value repeats an earlier row's, and must be unique", "值与前面的行重复（该项须唯一）"},
	KeyReference:       {"the key does not exist in the referenced dataset", "关联数据中不存在该值"},
}

func init() {
	// Identity number messages come from internal/idcard.
	for _, r := range idReasons {
		messages[r.key] = struct{ en, zh string }{r.reason.Error(), r.reason.ZH()}
	}
}

// Text returns the message of k in lang: simplified Chinese for "zh..." and
// English otherwise. An unknown key is returned as it is.
func (k Key) Text(lang string) string {
	m, ok := messages[k]
	if !ok {
		return string(k)
	}
	if strings.HasPrefix(lang, "zh") {
		return m.zh
	}
	return m.en
}

// Keys returns every message key, for message catalogs and tests.
func Keys() []Key {
	out := make([]Key, 0, len(messages))
	for k := range messages {
		out = append(out, k)
	}
	return out
}
