package store

import "testing"

func TestRebind(t *testing.T) {
	tests := []struct {
		give, want string
	}{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' FROM t WHERE a = ?", "SELECT '?' FROM t WHERE a = $1"},
	}
	for _, tt := range tests {
		if got := rebind(Postgres, tt.give); got != tt.want {
			t.Errorf("rebind(%q) = %q, want %q", tt.give, got, tt.want)
		}
		if got := rebind(SQLite, tt.give); got != tt.give {
			t.Errorf("rebind(sqlite, %q) = %q, want unchanged", tt.give, got)
		}
	}
}
