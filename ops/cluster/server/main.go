// The Temporal server as Neutrix runs it: go.temporal.io/server/cmd/server (v1.32.0) with one change — the
// frontend decides who may do what by the client certificate it has verified. The certificate's subject
// (CommonName) is looked up in a roles file (--certificate-roles, ops/cluster/certificate-roles.yaml) and
// Temporal's default authorizer applies the roles: reader, writer or admin, on the cluster or on a namespace.
// A certificate whose subject is not listed is refused everything but the health checks.
//
// The server's own calls (the worker service's schedules, batches, the history service's clients) go to the
// internal-frontend service, which Temporal serves on the internode TLS with its internal claim mapper (admin):
// the config must define an internal-frontend, or the system worker's own calls to the public frontend would
// be refused. Both are checked at start; the server refuses to start without an authorizer.
//
// Built by scripts/setup-cluster.sh; the schema tool stays upstream's (go.temporal.io/server/cmd/tools/sql).
package main

import (
	"fmt"
	"os"
	"strings"
	_ "time/tzdata" // embed tzdata as a fallback

	"github.com/urfave/cli/v2"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/build"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/headers"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql" // PostgreSQL only: persistence and SQL visibility
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/temporal"
)

func main() {
	if err := app().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func app() *cli.App {
	a := cli.NewApp()
	a.Name = "temporal-server"
	a.Usage = "Temporal server (Neutrix: authorization by client certificate)"
	a.Version = headers.ServerVersion
	a.ArgsUsage = " "
	a.Flags = []cli.Flag{
		&cli.StringFlag{Name: "config-file", Usage: "path to the config file", EnvVars: []string{config.EnvKeyConfigFile}, Required: true},
		&cli.StringFlag{Name: "certificate-roles", Usage: "path to the roles file: client certificate CommonName → roles", EnvVars: []string{"NEUTRIX_CERTIFICATE_ROLES"}, Required: true},
	}
	a.Commands = []*cli.Command{
		{
			Name:  "start",
			Usage: "Start the Temporal server",
			Flags: []cli.Flag{
				&cli.StringSliceFlag{
					Name:    "service",
					Aliases: []string{"svc"},
					Usage:   "service(s) to start (default: every service the config defines)",
					EnvVars: []string{"TEMPORAL_SERVICES"},
				},
			},
			Action: start,
		},
	}
	return a
}

func start(c *cli.Context) error {
	cfg, err := config.Load(config.WithConfigFile(c.String("config-file")))
	if err != nil {
		return fmt.Errorf("unable to load configuration: %w", err)
	}
	logger := log.NewZapLogger(log.BuildZapLogger(cfg.Log))
	logger.Info("Build info.",
		tag.String("go-version", build.InfoData.GoVersion),
		tag.String("server-version", headers.ServerVersion),
	)

	authorizer, err := authorization.GetAuthorizerFromConfig(&cfg.Global.Authorization)
	if err != nil {
		return fmt.Errorf("unable to instantiate the authorizer: %w", err)
	}
	if authorization.IsNoopAuthorizer(authorizer) {
		return fmt.Errorf("global.authorization.authorizer is not set: this server runs only with an authorizer (\"default\")")
	}
	if cfg.Global.Authorization.ClaimMapper != ClaimMapperName {
		return fmt.Errorf("global.authorization.claimMapper is %q: this server maps client certificates (%q)", cfg.Global.Authorization.ClaimMapper, ClaimMapperName)
	}
	if _, ok := cfg.Services[string(primitives.InternalFrontendService)]; !ok {
		return fmt.Errorf("the config defines no internal-frontend service: the server's own calls (schedules, batches) would be refused by the frontend's authorizer")
	}
	roles, err := loadCertificateRoles(c.String("certificate-roles"), logger)
	if err != nil {
		return err
	}

	services := c.StringSlice("service")
	if len(services) == 0 {
		for _, s := range append(temporal.DefaultServices, string(primitives.InternalFrontendService)) {
			if _, ok := cfg.Services[s]; ok {
				services = append(services, s)
			}
		}
	}
	logger.Info("Starting.", tag.NewStringTag("services", strings.Join(services, ",")))

	s, err := temporal.NewServer(
		temporal.ForServices(services),
		temporal.WithConfig(cfg),
		temporal.WithLogger(logger),
		temporal.InterruptOn(temporal.InterruptCh()),
		temporal.WithAuthorizer(authorizer),
		// The public frontend's mapper; the internal-frontend always uses Temporal's internal one.
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return roles }),
	)
	if err != nil {
		return fmt.Errorf("unable to create the server: %w", err)
	}
	if err := s.Start(); err != nil {
		return fmt.Errorf("unable to start the server: %w", err)
	}
	return nil
}
