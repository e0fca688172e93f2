package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Session kinds: a browser session (cookie, CSRF token) or an API token.
const (
	KindWeb = "web"
	KindAPI = "api"
)

// Session is the result of a login. Token is shown once and never stored.
type Session struct {
	Token     string
	CSRF      string
	ExpiresAt time.Time
	Principal *authz.Principal
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// dummyHash makes a login for an unknown user cost the same as a wrong
// password, so timing does not reveal which usernames exist.
var dummyHash, _ = HashPassword("dummy-password-for-timing", DefaultArgon2)

// Login checks a password and opens a session of kind.
func (s *Service) Login(ctx context.Context, username, password, kind string) (*Session, error) {
	var id, hash string
	var disabled int64
	username = strings.ToLower(strings.TrimSpace(username))
	err := s.db.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE username = ?`, username).Scan(&id, &hash, &disabled)
	if store.IsNoRows(err) {
		CheckPassword(dummyHash, password)
		return nil, apperr.New(apperr.Unauthenticated, "wrong username or password", "用户名或密码错误")
	}
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	if !CheckPassword(hash, password) || store.Bool(disabled) {
		return nil, apperr.New(apperr.Unauthenticated, "wrong username or password", "用户名或密码错误")
	}
	p, err := s.principal(ctx, id)
	if err != nil {
		return nil, err
	}
	ttl := s.apiTTL
	if kind == KindWeb {
		ttl = s.webTTL
	}
	sess := &Session{Token: RandomToken(32), CSRF: RandomToken(24), ExpiresAt: s.now().Add(ttl), Principal: p}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			hashToken(sess.Token), id, kind, sess.CSRF, store.FormatTime(s.now()), store.FormatTime(sess.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		// Expired sessions are removed as new ones are made.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, store.FormatTime(s.now())); err != nil {
			return err
		}
		return actionlog.Append(authz.WithPrincipal(ctx, p), tx, s.now(), "auth.login", "user", id, p.OrgID, nil, map[string]string{"kind": kind})
	})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// Authenticate resolves a token to its principal and the session's CSRF
// token. kind "" accepts either kind.
func (s *Service) Authenticate(ctx context.Context, token, kind string) (*authz.Principal, string, error) {
	if token == "" {
		return nil, "", apperr.New(apperr.Unauthenticated, "login required", "请先登录")
	}
	var userID, csrf, expires, k string
	err := s.db.QueryRowContext(ctx, `SELECT s.user_id, s.csrf_token, s.expires_at, s.kind FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND u.disabled = 0`, hashToken(token)).Scan(&userID, &csrf, &expires, &k)
	if store.IsNoRows(err) {
		return nil, "", apperr.New(apperr.Unauthenticated, "invalid or expired token", "登录凭证无效或已过期")
	}
	if err != nil {
		return nil, "", fmt.Errorf("authenticate: %w", err)
	}
	if (kind != "" && k != kind) || !s.now().Before(store.ParseTime(expires)) {
		return nil, "", apperr.New(apperr.Unauthenticated, "invalid or expired token", "登录凭证无效或已过期")
	}
	p, err := s.principal(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	return p, csrf, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
	return err
}

func (s *Service) principal(ctx context.Context, userID string) (*authz.Principal, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	return &authz.Principal{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, OrgID: u.OrgID, NodeID: u.NodeID, Roles: u.Roles}, nil
}

// EnsureAdmin makes sure the user "admin" exists in orgID with the platform
// administrator role. With password set it (re)sets that password; with ""
// on first creation it generates one and returns it (to be printed once).
func (s *Service) EnsureAdmin(ctx context.Context, orgID, password string) (generated string, err error) {
	u, err := s.UserByName(ctx, "admin")
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return "", err
	}
	if u != nil {
		if password != "" && !s.passwordMatches(ctx, u.ID, password) {
			return "", s.setPassword(ctx, u, password)
		}
		return "", nil
	}
	if password == "" {
		password = RandomToken(12) + "-A1"
		generated = password
	}
	_, err = s.createUser(ctx, nil, NewUser{Username: "admin", DisplayName: "平台管理员", Password: password,
		OrgID: orgID, Roles: []authz.Role{authz.PlatformAdmin}})
	return generated, err
}

func (s *Service) passwordMatches(ctx context.Context, userID, pw string) bool {
	var hash string
	if err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&hash); err != nil {
		return false
	}
	return CheckPassword(hash, pw)
}

// PrincipalOf returns the principal of a user by name, for local operator
// commands that act as a named user on a data directory they can read.
func (s *Service) PrincipalOf(ctx context.Context, username string) (*authz.Principal, error) {
	u, err := s.UserByName(ctx, username)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, apperr.New(apperr.Forbidden, "user "+username+" is disabled", "用户"+username+"已停用")
	}
	return s.principal(ctx, u.ID)
}
