package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/identity"
)

// asUser opens the node and returns a context acting as o.as.
func (o *options) asUser(ctx context.Context) (*app.App, context.Context, error) {
	a, err := o.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := a.Identity.PrincipalOf(ctx, o.as)
	if err != nil {
		a.Close()
		return nil, nil, fmt.Errorf("act as %s: %w", o.as, err)
	}
	return a, authz.WithPrincipal(ctx, p), nil
}

func (o *options) asFlag(c *cobra.Command) {
	c.Flags().StringVar(&o.as, "as", "admin", "act as this user (operators with access to the data directory)")
}

func userCmd() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Manage users on a data directory"}
	c.AddCommand(userCreateCmd(), userPasswdCmd(), userListCmd())
	return c
}

func userCreateCmd() *cobra.Command {
	var o options
	var in identity.NewUser
	var roles, org string
	c := &cobra.Command{
		Use:   "create USERNAME",
		Short: "Create a user (password from PUBDATA_USER_PASSWORD or --password)",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			in.Username = args[0]
			if in.Password == "" {
				in.Password = os.Getenv("PUBDATA_USER_PASSWORD")
			}
			for _, r := range strings.Split(roles, ",") {
				if r = strings.TrimSpace(r); r != "" {
					in.Roles = append(in.Roles, authz.Role(r))
				}
			}
			in.OrgID = org
			if in.OrgID == "" {
				in.OrgID = authz.FromContext(ctx).OrgID
			}
			u, err := a.Identity.CreateUser(ctx, in)
			if err != nil {
				return err
			}
			fmt.Printf("created user %s (%s) in %s with roles %v\n", u.Username, u.ID, u.OrgID, u.Roles)
			return nil
		},
	}
	c.Flags().StringVar(&in.DisplayName, "name", "", "display name")
	c.Flags().StringVar(&in.Password, "password", "", "password (prefer PUBDATA_USER_PASSWORD)")
	c.Flags().StringVar(&roles, "roles", "data_consumer", "comma-separated roles: "+rolesList())
	c.Flags().StringVar(&org, "org", "", "organisation id (default: that of --as)")
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}

func rolesList() string {
	var s []string
	for _, r := range authz.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func userPasswdCmd() *cobra.Command {
	var o options
	var pw string
	c := &cobra.Command{
		Use:   "passwd USERNAME",
		Short: "Set a user's password (from PUBDATA_USER_PASSWORD or --password)",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			u, err := a.Identity.UserByName(ctx, args[0])
			if err != nil {
				return err
			}
			if pw == "" {
				pw = os.Getenv("PUBDATA_USER_PASSWORD")
			}
			if err := a.Identity.SetPassword(ctx, u.ID, pw); err != nil {
				return err
			}
			fmt.Println("password changed for", u.Username)
			return nil
		},
	}
	c.Flags().StringVar(&pw, "password", "", "new password (prefer PUBDATA_USER_PASSWORD)")
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}

func userListCmd() *cobra.Command {
	var o options
	var org string
	c := &cobra.Command{
		Use:   "list",
		Short: "List users",
		RunE: func(c *cobra.Command, _ []string) error {
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			us, err := a.Identity.Users(ctx, org)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "USERNAME\tNAME\tORG\tROLES")
			for _, u := range us {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", u.Username, u.DisplayName, u.OrgID, u.Roles)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&org, "org", "", "only this organisation")
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}
