package app_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/rectify"
)

// TestEscalationPass: the serving node escalates a ticket once it is past
// its deadline, and Close stops the pass.
func TestEscalationPass(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), AdminPassword: apptest.AdminPassword,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock, Argon2: &apptest.CheapArgon2,
		NoRecordStore: true, EscalateEvery: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			a.Close()
		}
	})
	apptest.Seed(t, a)
	res, err := a.Catalog.Create(apptest.As(t, a, "a.editor"), apptest.Resource())
	if err != nil {
		t.Fatal(err)
	}
	tk, err := a.Rectify.Raise(apptest.As(t, a, "b.consumer"), rectify.Issue{ResourceID: res.ID, Title: "姓名错误"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = tk.Deadline.Add(24 * time.Hour)
	mu.Unlock()
	admin := apptest.As(t, a, "admin")
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		got, err := a.Rectify.Get(admin, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Escalated {
			if last := got.History[len(got.History)-1]; last.Action != rectify.ActEscalate || last.ActorName != "system" {
				t.Errorf("last event = %+v, want an escalation by the system", last)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the overdue ticket was not escalated")
		}
	}
	stopped = true
	closed := make(chan error, 1)
	go func() { closed <- a.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not stop the escalation pass")
	}
}
