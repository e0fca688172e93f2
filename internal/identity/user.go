package identity

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// User is a person who logs in. Password hashes never leave this package.
type User struct {
	ID          string       `json:"id"`
	NodeID      string       `json:"node_id"`
	OrgID       string       `json:"org_id"`
	Username    string       `json:"username"`
	DisplayName string       `json:"display_name"`
	Roles       []authz.Role `json:"roles"`
	Disabled    bool         `json:"disabled"`
}

// NewUser is the input to CreateUser.
type NewUser struct {
	Username    string       `json:"username"`
	DisplayName string       `json:"display_name"`
	Password    string       `json:"password"`
	OrgID       string       `json:"org_id"`
	Roles       []authz.Role `json:"roles"`
}

var usernameRE = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,63}$`)

// platformRoles may be granted only by a platform administrator: they reach
// beyond one organisation.
var platformRoles = []authz.Role{authz.PlatformAdmin, authz.Auditor}

func validateRoles(f *apperr.Fields, p *authz.Principal, roles []authz.Role) {
	if len(roles) == 0 {
		f.Add("roles", "at least one role is required", "至少需要一个角色")
	}
	for _, r := range roles {
		if !r.Valid() {
			f.Add("roles", fmt.Sprintf("unknown role %q", r), fmt.Sprintf("未知角色 %q", r))
		} else if p != nil && slices.Contains(platformRoles, r) && !p.HasRole(authz.PlatformAdmin) {
			f.Add("roles", fmt.Sprintf("only a platform administrator may grant %s", r), fmt.Sprintf("仅平台管理员可授予%s角色", authz.RoleNames[r][0]))
		}
	}
}

// CreateUser adds a user to an organisation. Organisation administrators
// manage their own organisation's users; platform administrators any.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	p, err := need(ctx, authz.UserManage, in.OrgID)
	if err != nil {
		return nil, err
	}
	return s.createUser(ctx, p, in)
}

// SeedUser adds a user without a principal (bootstrap, demo).
func (s *Service) SeedUser(ctx context.Context, in NewUser) (*User, error) {
	return s.createUser(ctx, nil, in)
}

func (s *Service) createUser(ctx context.Context, p *authz.Principal, in NewUser) (*User, error) {
	var f apperr.Fields
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if !usernameRE.MatchString(in.Username) {
		f.Add("username", "must be 3-64 characters: a letter, then letters, digits, _ . -", "须为3至64位,以字母开头,可含字母、数字、_ . -")
	}
	if strings.TrimSpace(in.DisplayName) == "" {
		f.Add("display_name", "is required", "不能为空")
	}
	if en, zh, ok := checkPasswordPolicy(in.Password); !ok {
		f.Add("password", en, zh)
	}
	validateRoles(&f, p, in.Roles)
	if err := f.Err(); err != nil {
		return nil, err
	}
	org, err := s.Org(ctx, in.OrgID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.Invalid, "unknown organisation", "单位不存在").With("org_id", "no such organisation", "单位不存在")
		}
		return nil, err
	}
	hash, err := HashPassword(in.Password, s.argon)
	if err != nil {
		return nil, err
	}
	u := User{ID: uuid.Must(uuid.NewV7()).String(), NodeID: org.NodeID, OrgID: org.ID, Username: in.Username,
		DisplayName: strings.TrimSpace(in.DisplayName), Roles: in.Roles}
	now := store.FormatTime(s.now())
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, node_id, org_id, username, display_name, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.NodeID, u.OrgID, u.Username, u.DisplayName, hash, now, now)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "username taken", "用户名已存在").With("username", "is already taken", "已被使用")
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		if err := insertRoles(ctx, tx, u.ID, u.Roles); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, s.now(), "user.create", "user", u.ID, u.OrgID, nil, u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func insertRoles(ctx context.Context, tx *store.Tx, userID string, roles []authz.Role) error {
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING`, userID, string(r)); err != nil {
			return fmt.Errorf("insert role: %w", err)
		}
	}
	return nil
}

// SetRoles replaces a user's roles.
func (s *Service) SetRoles(ctx context.Context, userID string, roles []authz.Role) (*User, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	p, err := need(ctx, authz.UserManage, u.OrgID)
	if err != nil {
		return nil, err
	}
	var f apperr.Fields
	validateRoles(&f, p, roles)
	if err := f.Err(); err != nil {
		return nil, err
	}
	before := *u
	u.Roles = roles
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
			return err
		}
		if err := insertRoles(ctx, tx, userID, roles); err != nil {
			return err
		}
		// Role changes end existing sessions: new rights need a new login.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, s.now(), "user.roles", "user", userID, u.OrgID, before, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword changes a user's password (the user or an administrator of
// the user's organisation).
func (s *Service) SetPassword(ctx context.Context, userID, pw string) error {
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	if p := authz.FromContext(ctx); p == nil || p.UserID != userID {
		if _, err := need(ctx, authz.UserManage, u.OrgID); err != nil {
			return err
		}
	}
	if en, zh, ok := checkPasswordPolicy(pw); !ok {
		return apperr.New(apperr.Invalid, "weak password", "密码强度不足").With("password", en, zh)
	}
	return s.setPassword(ctx, u, pw)
}

func (s *Service) setPassword(ctx context.Context, u *User, pw string) error {
	hash, err := HashPassword(pw, s.argon)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, store.FormatTime(s.now()), u.ID); err != nil {
			return err
		}
		// A new password ends every session opened with the old one.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, s.now(), "user.password", "user", u.ID, u.OrgID, nil, nil)
	})
}

// User returns one user with roles.
func (s *Service) User(ctx context.Context, id string) (*User, error) {
	users, err := s.queryUsers(ctx, `WHERE u.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, apperr.NotFoundf("user", id)
	}
	return &users[0], nil
}

// UserByName returns one user by username.
func (s *Service) UserByName(ctx context.Context, name string) (*User, error) {
	users, err := s.queryUsers(ctx, `WHERE u.username = ?`, strings.ToLower(name))
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, apperr.NotFoundf("user", name)
	}
	return &users[0], nil
}

// Users lists the users the caller may see: all for platform-wide roles,
// else their own organisation's.
func (s *Service) Users(ctx context.Context, orgID string) ([]User, error) {
	p := authz.FromContext(ctx)
	if orgID == "" && !p.CanAny(authz.UserRead) {
		orgID = p.OrgID
	}
	if orgID != "" {
		if _, err := need(ctx, authz.UserRead, orgID); err != nil {
			return nil, err
		}
		return s.queryUsers(ctx, `WHERE u.org_id = ?`, orgID)
	}
	return s.queryUsers(ctx, ``)
}

func (s *Service) queryUsers(ctx context.Context, where string, args ...any) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.node_id, u.org_id, u.username, u.display_name, u.disabled, COALESCE(r.role, '')
		FROM users u LEFT JOIN user_roles r ON r.user_id = u.id `+where+` ORDER BY u.username, r.role`, args...)
	if err != nil {
		return nil, fmt.Errorf("query users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var disabled int64
		var role string
		if err := rows.Scan(&u.ID, &u.NodeID, &u.OrgID, &u.Username, &u.DisplayName, &disabled, &role); err != nil {
			return nil, err
		}
		u.Disabled = store.Bool(disabled)
		if n := len(out); n > 0 && out[n-1].ID == u.ID {
			out[n-1].Roles = append(out[n-1].Roles, authz.Role(role))
			continue
		}
		if role != "" {
			u.Roles = []authz.Role{authz.Role(role)}
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SeedUsers adds many users without a principal in one transaction,
// hashing each distinct password once (demo and bulk provisioning: users
// who share an initial password share its salt until they change it).
func (s *Service) SeedUsers(ctx context.Context, in []NewUser) ([]User, error) {
	hashes := map[string]string{}
	var out []User
	now := store.FormatTime(s.now())
	orgNodes := map[string]string{}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, nu := range in {
			var f apperr.Fields
			nu.Username = strings.ToLower(strings.TrimSpace(nu.Username))
			if !usernameRE.MatchString(nu.Username) {
				f.Add("username", "invalid username "+nu.Username, "用户名无效:"+nu.Username)
			}
			if en, zh, ok := checkPasswordPolicy(nu.Password); !ok {
				f.Add("password", en, zh)
			}
			validateRoles(&f, nil, nu.Roles)
			if err := f.Err(); err != nil {
				return err
			}
			node, ok := orgNodes[nu.OrgID]
			if !ok {
				if err := tx.QueryRowContext(ctx, `SELECT node_id FROM organisations WHERE id = ?`, nu.OrgID).Scan(&node); err != nil {
					return fmt.Errorf("organisation of %s: %w", nu.Username, err)
				}
				orgNodes[nu.OrgID] = node
			}
			hash, ok := hashes[nu.Password]
			if !ok {
				h, err := HashPassword(nu.Password, s.argon)
				if err != nil {
					return err
				}
				hash, hashes[nu.Password] = h, h
			}
			u := User{ID: uuid.Must(uuid.NewV7()).String(), NodeID: node, OrgID: nu.OrgID, Username: nu.Username,
				DisplayName: strings.TrimSpace(nu.DisplayName), Roles: nu.Roles}
			if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, node_id, org_id, username, display_name, password_hash, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.NodeID, u.OrgID, u.Username, u.DisplayName, hash, now, now); err != nil {
				if store.IsUniqueViolation(err) {
					return apperr.New(apperr.Conflict, "username taken: "+u.Username, "用户名已存在:"+u.Username)
				}
				return fmt.Errorf("insert user %s: %w", u.Username, err)
			}
			if err := insertRoles(ctx, tx, u.ID, u.Roles); err != nil {
				return err
			}
			out = append(out, u)
		}
		return actionlog.Append(ctx, tx, s.now(), "user.seed", "user", fmt.Sprintf("%d users", len(out)), "", nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
