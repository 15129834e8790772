package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
	"gopkg.in/yaml.v3"
)

// ClaimMapperName is the value of the config's global.authorization.claimMapper that selects this mapper.
const ClaimMapperName = "certificate-subject"

// AuthTypeCertificate names, in the claims (and so in the principal the server records), how the caller was identified.
const AuthTypeCertificate = "mtls"

// grant is what one certificate subject may do: a role on the whole cluster and/or roles on named namespaces.
type grant struct {
	System     string            `yaml:"system"`
	Namespaces map[string]string `yaml:"namespaces"`
}

// certificateRoles maps the CommonName of a verified client certificate to its claims. A subject that is not
// listed has no role at all, so Temporal's default authorizer refuses it everything but the health checks.
type certificateRoles struct {
	bySubject map[string]*authorization.Claims
	logger    log.Logger
}

var _ authorization.ClaimMapper = (*certificateRoles)(nil)

func parseRole(s string) (authorization.Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "reader":
		return authorization.RoleReader, nil
	case "writer":
		return authorization.RoleWriter, nil
	case "admin":
		return authorization.RoleAdmin, nil
	}
	return authorization.RoleUndefined, fmt.Errorf("unknown role %q (reader, writer or admin)", s)
}

// parseCertificateRoles reads the roles file: a YAML mapping of certificate CommonName to a grant.
func parseCertificateRoles(data []byte) (map[string]*authorization.Claims, error) {
	var grants map[string]grant
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&grants); err != nil {
		return nil, fmt.Errorf("certificate roles: %w", err)
	}
	if len(grants) == 0 {
		return nil, fmt.Errorf("certificate roles: no subject is granted anything")
	}
	out := make(map[string]*authorization.Claims, len(grants))
	for subject, g := range grants {
		if strings.TrimSpace(subject) == "" {
			return nil, fmt.Errorf("certificate roles: an empty subject")
		}
		claims := &authorization.Claims{Subject: subject, AuthType: AuthTypeCertificate, Namespaces: map[string]authorization.Role{}}
		if g.System != "" {
			role, err := parseRole(g.System)
			if err != nil {
				return nil, fmt.Errorf("certificate roles: %s: system: %w", subject, err)
			}
			claims.System = role
		}
		for ns, r := range g.Namespaces {
			role, err := parseRole(r)
			if err != nil {
				return nil, fmt.Errorf("certificate roles: %s: namespace %s: %w", subject, ns, err)
			}
			claims.Namespaces[ns] = role
		}
		if claims.System == authorization.RoleUndefined && len(claims.Namespaces) == 0 {
			return nil, fmt.Errorf("certificate roles: %s is granted nothing (leave it out instead)", subject)
		}
		out[subject] = claims
	}
	return out, nil
}

func loadCertificateRoles(path string, logger log.Logger) (*certificateRoles, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("certificate roles: %w", err)
	}
	bySubject, err := parseCertificateRoles(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	subjects := make([]string, 0, len(bySubject))
	for s := range bySubject {
		subjects = append(subjects, s)
	}
	sort.Strings(subjects)
	logger.Info("Certificate roles loaded.", tag.NewStringTag("file", path), tag.NewStringsTag("subjects", subjects))
	return &certificateRoles{bySubject: bySubject, logger: logger}, nil
}

// GetClaims answers the claims of the caller's verified client certificate (the frontend requires one and
// checks it against the CA before this is called), by its subject's CommonName. Bearer tokens are ignored.
func (m *certificateRoles) GetClaims(authInfo *authorization.AuthInfo) (*authorization.Claims, error) {
	if authInfo == nil || authInfo.TLSSubject == nil {
		return &authorization.Claims{AuthType: AuthTypeCertificate}, nil // no role: refused
	}
	cn := authInfo.TLSSubject.CommonName
	if claims, ok := m.bySubject[cn]; ok {
		c := *claims // a copy: the caller may not change the table
		c.Namespaces = make(map[string]authorization.Role, len(claims.Namespaces))
		for ns, r := range claims.Namespaces {
			c.Namespaces[ns] = r
		}
		return &c, nil
	}
	m.logger.Warn("A client certificate with no role was refused.", tag.NewStringTag("subject", authInfo.TLSSubject.String()))
	return &authorization.Claims{Subject: cn, AuthType: AuthTypeCertificate}, nil
}
