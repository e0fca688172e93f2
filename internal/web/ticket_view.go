package web

import (
	"context"
	"time"

	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/workday"
)

// ticketRow is a ticket as lists and the detail page show it: its title
// and organisations in the page's language, and its deadline in working
// days.
type ticketRow struct {
	*rectify.Ticket
	Title     string
	Org       string // the provider
	RaisedOrg string
	Clock     deadlineClock
}

// deadlineClock is where an active ticket stands against its deadline,
// in working days.
type deadlineClock struct {
	Active  bool // neither closed nor rejected: the clock runs
	Overdue bool
	Left    int // working days after today up to the deadline, when not overdue
	Late    int // working days past the deadline, when overdue
}

// ticketClock counts t's deadline on the calendar at now.
func ticketClock(cal *workday.Calendar, now time.Time, t *rectify.Ticket) deadlineClock {
	c := deadlineClock{Active: t.Status.Active(), Overdue: t.Overdue}
	if !c.Active {
		return c
	}
	if t.Overdue {
		c.Late = max(cal.WorkdaysBetween(t.Deadline, now), 0)
	} else {
		c.Left = max(cal.WorkdaysBetween(now, t.Deadline), 0)
	}
	return c
}

// ticketRows dresses tickets for the page.
type ticketRows struct {
	lang string
	orgs map[string]string
	cal  *workday.Calendar
	now  time.Time
}

func (p *portal) ticketRows(ctx context.Context, lang string) (*ticketRows, error) {
	orgs, err := p.orgNames(ctx, lang)
	if err != nil {
		return nil, err
	}
	cal, err := p.Catalog.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	return &ticketRows{lang: lang, orgs: orgs, cal: cal, now: p.Now()}, nil
}

func (tr *ticketRows) row(t *rectify.Ticket) ticketRow {
	name := func(id, fallback string) string {
		if n, ok := tr.orgs[id]; ok {
			return n
		}
		return fallback
	}
	return ticketRow{Ticket: t, Title: localName(tr.lang, t.Title, t.TitleEN),
		Org: name(t.OrgID, t.OrgName), RaisedOrg: name(t.RaisedOrgID, t.RaisedOrgName),
		Clock: ticketClock(tr.cal, tr.now, t)}
}

// orgNames names every organisation by id in lang.
func (p *portal) orgNames(ctx context.Context, lang string) (map[string]string, error) {
	orgs, err := p.Identity.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(orgs))
	for _, o := range orgs {
		out[o.ID] = localName(lang, o.Name, o.NameEN)
	}
	return out, nil
}
