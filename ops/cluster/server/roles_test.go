package main

import (
	"context"
	"crypto/x509/pkix"
	"os"
	"testing"

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/log"
)

// The repo's roles file, through the mapper and Temporal's default authorizer: who may call what.
func TestRepoRolesFile(t *testing.T) {
	data, err := os.ReadFile("../certificate-roles.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bySubject, err := parseCertificateRoles(data)
	if err != nil {
		t.Fatal(err)
	}
	m := &certificateRoles{bySubject: bySubject, logger: log.NewNoopLogger()}
	authz := authorization.NewDefaultAuthorizer()
	const ws = "/temporal.api.workflowservice.v1.WorkflowService/"
	const opsvc = "/temporal.api.operatorservice.v1.OperatorService/"
	cases := []struct {
		cn, api, ns string
		allow       bool
	}{
		{"neutrix-worker", ws + "PollWorkflowTaskQueue", "neutrix", true},
		{"neutrix-worker", ws + "StartWorkflowExecution", "other", false},
		{"neutrix-backoffice", ws + "UpdateWorkflowExecution", "neutrix", true},
		{"neutrix-backoffice", ws + "CreateSchedule", "neutrix", true},
		{"neutrix-backoffice", ws + "UpdateNamespace", "neutrix", false},
		{"neutrix-backoffice", opsvc + "AddSearchAttributes", "neutrix", false},
		{"neutrix-ops", ws + "ListWorkflowExecutions", "neutrix", true},
		{"neutrix-ops", ws + "DescribeWorkflowExecution", "neutrix", true},
		{"neutrix-ops", ws + "TerminateWorkflowExecution", "neutrix", false},
		{"neutrix-ops", ws + "UpdateWorkflowExecution", "neutrix", false},
		{"neutrix-admin", ws + "RegisterNamespace", "neutrix", true},
		{"neutrix-admin", opsvc + "AddSearchAttributes", "neutrix", true},
		{"intruder", ws + "StartWorkflowExecution", "neutrix", false},
		{"intruder", ws + "SignalWorkflowExecution", "neutrix", false},
		{"intruder", ws + "DescribeWorkflowExecution", "neutrix", false},
		{"intruder", ws + "GetSystemInfo", "", true}, // a health check: allowed to every verified certificate
	}
	for _, c := range cases {
		claims, err := m.GetClaims(&authorization.AuthInfo{TLSSubject: &pkix.Name{CommonName: c.cn}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := authz.Authorize(context.Background(), claims, &authorization.CallTarget{APIName: c.api, Namespace: c.ns})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Decision == authorization.DecisionAllow; got != c.allow {
			t.Errorf("%s %s on %q: allowed %v, want %v", c.cn, c.api, c.ns, got, c.allow)
		}
	}
	// No certificate subject: no role.
	claims, _ := m.GetClaims(&authorization.AuthInfo{})
	if r, _ := authz.Authorize(context.Background(), claims, &authorization.CallTarget{APIName: ws + "ListWorkflowExecutions", Namespace: "neutrix"}); r.Decision == authorization.DecisionAllow {
		t.Error("a caller without a certificate subject was allowed")
	}
}

func TestRolesFileRefusesMistakes(t *testing.T) {
	for _, bad := range []string{
		"",
		"neutrix-worker: { namespaces: { neutrix: writr } }",
		"neutrix-worker: { system: owner }",
		"neutrix-worker: {}",
		"neutrix-worker: { namespace: { neutrix: writer } }", // an unknown field
	} {
		if _, err := parseCertificateRoles([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
