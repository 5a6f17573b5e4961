package fakegithub

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// AuthKind is how a request authenticated itself.
type AuthKind string

// The kinds of authentication a RecordedRequest can carry.
const (
	AuthNone  AuthKind = "none"  // no Authorization header
	AuthJWT   AuthKind = "jwt"   // Bearer App JWT
	AuthToken AuthKind = "token" // token or Bearer installation token
	AuthOther AuthKind = "other" // anything else (basic, unknown scheme)
)

// Limits GitHub puts on App JWTs.
const (
	maxJWTLifetime = 10 * time.Minute
	jwtClockSkew   = 60 * time.Second
)

// credential is the parsed Authorization header of a request.
type credential struct {
	kind  AuthKind
	value string // the JWT or token
}

// parseCredential classifies the Authorization header without checking it.
func parseCredential(r *http.Request) credential {
	h := r.Header.Get("Authorization")
	if h == "" {
		return credential{kind: AuthNone}
	}
	scheme, value, _ := strings.Cut(h, " ")
	value = strings.TrimSpace(value)
	switch strings.ToLower(scheme) {
	case "bearer":
		if strings.Count(value, ".") == 2 && strings.HasPrefix(value, "eyJ") {
			return credential{kind: AuthJWT, value: value}
		}
		return credential{kind: AuthToken, value: value}
	case "token":
		return credential{kind: AuthToken, value: value}
	}
	return credential{kind: AuthOther, value: value}
}

// verifyJWT checks an App JWT the way GitHub does: RS256 signed with the
// App's key, iss the App ID, iat not in the future, exp in the future and
// at most 10 minutes after iat and after now. The error text is GitHub's.
func (s *Server) verifyJWT(raw string, now time.Time) error {
	claims := jwt.MapClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	_, err := parser.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &s.key.PublicKey, nil })
	if err != nil {
		//lint:ignore ST1005 GitHub's own message, word for word
		return errors.New("A JSON web token could not be decoded")
	}
	iat, okIat := claims["iat"].(float64)
	exp, okExp := claims["exp"].(float64)
	switch {
	case !okIat || iat != float64(int64(iat)):
		return errors.New("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued")
	case !okExp || exp != float64(int64(exp)):
		return errors.New("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires")
	case time.Unix(int64(iat), 0).After(now.Add(jwtClockSkew)):
		return errors.New("'Issued at' claim ('iat') must be an Integer representing a time in the past")
	case !time.Unix(int64(exp), 0).After(now.Add(-jwtClockSkew)):
		return errors.New("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires")
	case time.Unix(int64(exp), 0).Sub(time.Unix(int64(iat), 0)) > maxJWTLifetime,
		time.Unix(int64(exp), 0).After(now.Add(maxJWTLifetime + jwtClockSkew)):
		return errors.New("'Expiration time' claim ('exp') is too far in the future")
	}
	if iss := fmt.Sprint(claims["iss"]); iss != strconv.FormatInt(s.opts.AppID, 10) {
		if _, isNum := claims["iss"].(float64); !isNum || int64(claims["iss"].(float64)) != s.opts.AppID {
			return fmt.Errorf("'Issuer' claim ('iss') must be the App ID %d, got %q", s.opts.AppID, iss)
		}
	}
	return nil
}

// requireJWT answers 401 unless the request carries a valid App JWT.
func (s *Server) requireJWT(c *call) bool {
	if c.cred.kind != AuthJWT {
		writeError(c.w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		return false
	}
	if err := s.verifyJWT(c.cred.value, time.Now()); err != nil {
		writeError(c.w, http.StatusUnauthorized, err.Error())
		return false
	}
	return true
}

// requireToken answers 401 unless the request carries a live installation
// token, and returns it.
func (s *Server) requireToken(c *call) (*installationToken, bool) {
	if c.cred.kind == AuthJWT {
		writeError(c.w, http.StatusForbidden, "This endpoint requires you to authenticate as an installation, not as the App (use an installation access token)")
		return nil, false
	}
	s.mu.Lock()
	tok := s.state.tokens[c.cred.value]
	s.mu.Unlock()
	if c.cred.kind != AuthToken || tok == nil || tok.revoked || time.Now().After(tok.expires) {
		writeError(c.w, http.StatusUnauthorized, "Bad credentials")
		return nil, false
	}
	return tok, true
}
