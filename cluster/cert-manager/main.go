// Command cert-manager-controller runs cert-manager's controllers as one local process against the
// local cluster's API server (cluster/cluster.ts starts and stops it).
//
// cert-manager's own controller binary lives in a nested module of its repository
// (cmd/controller, module path github.com/cert-manager/cert-manager/controller-binary) that is
// neither tagged nor served by the Go module proxy. Its controllers are not in that module: they
// are the packages of github.com/cert-manager/cert-manager/pkg/..., which the proxy serves. This
// launcher does what that binary's Run does for a single local instance: it builds the same
// controller context with the same defaults, starts the same default set of controllers (plus the
// Gateway API shim when asked), and starts the shared informers. Left out: the Venafi issuer (its
// SDK is not served), leader election (one instance), the metrics and profiling servers, and the
// configuration file.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/component-base/featuregate"
	"k8s.io/klog/v2"

	controllerpkg "github.com/cert-manager/cert-manager/pkg/controller"
	challengescontroller "github.com/cert-manager/cert-manager/pkg/controller/acmechallenges"
	orderscontroller "github.com/cert-manager/cert-manager/pkg/controller/acmeorders"
	shimgatewaycontroller "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/gateways"
	shimingresscontroller "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	cracmecontroller "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/acme"
	crapprovercontroller "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	crcacontroller "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	crselfsignedcontroller "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	crvaultcontroller "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/vault"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	certificatesmetricscontroller "github.com/cert-manager/cert-manager/pkg/controller/certificates/metrics"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	clusterissuerscontroller "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	issuerscontroller "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	"github.com/cert-manager/cert-manager/pkg/healthz"
	dnsutil "github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/util"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	// The issuer implementations, registered by their packages' init (as cert-manager's binary does).
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/vault"
)

// defaultEnabledControllers is cert-manager's own default set (DefaultEnabledControllers in its
// internal/apis/config/controller/v1alpha1/defaults.go at the pinned version) less the Venafi
// issuer's: its SDK (github.com/Venafi/vcert/v5) is not served by the Go module proxy.
var defaultEnabledControllers = []string{
	issuerscontroller.ControllerName,
	clusterissuerscontroller.ControllerName,
	certificatesmetricscontroller.ControllerName,
	shimingresscontroller.ControllerName,
	orderscontroller.ControllerName,
	challengescontroller.ControllerName,
	cracmecontroller.CRControllerName,
	crapprovercontroller.ControllerName,
	crcacontroller.CRControllerName,
	crselfsignedcontroller.CRControllerName,
	crvaultcontroller.CRControllerName,
	trigger.ControllerName,
	issuing.ControllerName,
	keymanager.ControllerName,
	requestmanager.ControllerName,
	readiness.ControllerName,
	revisionmanager.ControllerName,
}

type options struct {
	kubeconfig               string
	clusterResourceNamespace string
	enableGatewayAPI         bool
	healthzAddress           string
	solverImage              string
	dns01Nameservers         string
	http01Nameservers        string
	minBackoff               time.Duration
	maxBackoff               time.Duration
	workers                  int
}

func main() {
	var o options
	flag.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig of the cluster to run against (required)")
	flag.StringVar(&o.clusterResourceNamespace, "cluster-resource-namespace", "kube-system",
		"namespace holding the Secrets that ClusterIssuers refer to")
	flag.BoolVar(&o.enableGatewayAPI, "enable-gateway-api", false,
		"run the Gateway API certificate shim and allow HTTP-01 over HTTPRoutes (the Gateway API CRDs must be installed)")
	flag.StringVar(&o.healthzAddress, "healthz-listen-address", "127.0.0.1:0",
		"address of the /livez endpoint")
	flag.StringVar(&o.solverImage, "acme-http01-solver-image",
		fmt.Sprintf("quay.io/jetstack/cert-manager-acmesolver:%s", util.AppVersion),
		"image of the ACME HTTP-01 solver pods")
	flag.StringVar(&o.dns01Nameservers, "dns01-recursive-nameservers", "",
		"comma-separated host:port of the resolvers for DNS-01 self checks (default: the machine's)")
	flag.StringVar(&o.http01Nameservers, "acme-http01-solver-nameservers", "",
		"comma-separated host:port of the resolvers for HTTP-01 self checks (default: the machine's)")
	flag.DurationVar(&o.minBackoff, "certificate-request-minimum-backoff-duration", time.Hour,
		"first wait after a failed issuance")
	flag.DurationVar(&o.maxBackoff, "certificate-request-maximum-backoff-duration", 32*time.Hour,
		"longest wait after failed issuances")
	flag.IntVar(&o.workers, "concurrent-workers", 5, "workers per controller")
	klog.InitFlags(flag.CommandLine)
	flag.Parse()
	if o.kubeconfig == "" {
		fmt.Fprintln(os.Stderr, "cert-manager-controller: --kubeconfig is required")
		os.Exit(2)
	}

	logf.InitLogs()
	defer logf.FlushLogs()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	if err := run(ctx, o); err != nil {
		logf.Log.Error(err, "cert-manager controller stopped")
		logf.FlushLogs()
		os.Exit(1)
	}
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func run(rootCtx context.Context, o options) error {
	log := logf.FromContext(rootCtx)
	rootCtx, cancel := context.WithCancel(rootCtx)
	defer cancel()
	g, rootCtx := errgroup.WithContext(rootCtx)

	log.Info("starting cert-manager controller", "version", util.AppVersion, "git_commit", util.AppGitCommit)

	dnsNameservers := splitList(o.dns01Nameservers)
	if len(dnsNameservers) == 0 {
		dnsNameservers = dnsutil.RecursiveNameservers
	}
	ctxFactory, err := controllerpkg.NewContextFactory(rootCtx, controllerpkg.ContextOptions{
		Kubeconfig:         o.kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		IssuerOptions: controllerpkg.IssuerOptions{
			ClusterResourceNamespace:        o.clusterResourceNamespace,
			ClusterIssuerAmbientCredentials: true,
		},
		ACMEOptions: controllerpkg.ACMEOptions{
			HTTP01SolverImage:                 o.solverImage,
			HTTP01SolverResourceRequestCPU:    resource.MustParse("10m"),
			HTTP01SolverResourceRequestMemory: resource.MustParse("64Mi"),
			HTTP01SolverResourceLimitsCPU:     resource.MustParse("100m"),
			HTTP01SolverResourceLimitsMemory:  resource.MustParse("64Mi"),
			ACMEHTTP01SolverRunAsNonRoot:      true,
			HTTP01SolverNameservers:           splitList(o.http01Nameservers),
			DNS01Nameservers:                  dnsNameservers,
			DNS01CheckRetryPeriod:             10 * time.Second,
			DNS01CheckAuthoritative:           true,
		},
		SchedulerOptions: controllerpkg.SchedulerOptions{MaxConcurrentChallenges: 60},
		IngressShimOptions: controllerpkg.IngressShimOptions{
			DefaultIssuerKind:                 "Issuer",
			DefaultIssuerGroup:                "cert-manager.io",
			DefaultAutoCertificateAnnotations: []string{"kubernetes.io/tls-acme"},
			GatewayAPIExtraProtocols:          sets.New[string](),
		},
		CertificateOptions: controllerpkg.CertificateOptions{
			CopiedAnnotationPrefixes:                 []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"},
			CertificateRequestMinimumBackoffDuration: o.minBackoff,
			CertificateRequestMaximumBackoffDuration: o.maxBackoff,
		},
		ConfigOptions: controllerpkg.ConfigOptions{EnableGatewayAPI: o.enableGatewayAPI},
	})
	if err != nil {
		return err
	}
	ctx, err := ctxFactory.Build()
	if err != nil {
		return err
	}

	enabled := sets.New(defaultEnabledControllers...)
	gatewayShim := o.enableGatewayAPI &&
		utilfeature.DefaultFeatureGate.Enabled(featuregate.Feature("ExperimentalGatewayAPISupport"))
	if gatewayShim {
		enabled.Insert(shimgatewaycontroller.ControllerName)
	}
	names := sets.List(enabled)
	sort.Strings(names)
	log.Info("enabled controllers: " + strings.Join(names, ", "))

	lc := net.ListenConfig{}
	healthzListener, err := lc.Listen(rootCtx, "tcp", o.healthzAddress)
	if err != nil {
		return fmt.Errorf("failed to listen on healthz address %s: %w", o.healthzAddress, err)
	}
	healthzServer := healthz.NewServer(20 * time.Second)
	g.Go(func() error {
		log.Info("starting healthz server", "address", healthzListener.Addr().String())
		return healthzServer.Start(rootCtx, healthzListener)
	})

	for name, construct := range controllerpkg.Known() {
		if !enabled.Has(name) {
			continue
		}
		iface, err := construct(ctxFactory)
		if err != nil {
			cancel()
			_ = g.Wait()
			return fmt.Errorf("error starting controller %s: %w", name, err)
		}
		g.Go(func() error {
			log.V(logf.InfoLevel).Info("starting controller", "controller", name)
			return iface.Run(o.workers, rootCtx)
		})
	}

	ctx.SharedInformerFactory.Start(rootCtx.Done())
	ctx.KubeSharedInformerFactory.Start(rootCtx.Done())
	ctx.HTTP01ResourceMetadataInformersFactory.Start(rootCtx.Done())
	if gatewayShim {
		ctx.GWShared.Start(rootCtx.Done())
	}

	err = g.Wait()
	if gatewayShim {
		ctx.GWShared.Shutdown()
	}
	ctx.HTTP01ResourceMetadataInformersFactory.Shutdown()
	ctx.KubeSharedInformerFactory.Shutdown()
	ctx.SharedInformerFactory.Shutdown()
	if err != nil {
		return fmt.Errorf("control loops failed: %w", err)
	}
	log.Info("control loops exited")
	return nil
}
