package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

const serviceCIDR = "10.96.0.0/16"

// Ready is the single JSON line printed on stdout once the control plane serves requests.
type Ready struct {
	Server          string `json:"server"`
	AdminKubeconfig string `json:"adminKubeconfig"`
	CAFile          string `json:"caFile"`
	KwokNode        string `json:"kwokNode,omitempty"`
	StartupMillis   int64  `json:"startupMillis"`
}

type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has been reaped
}

func up(args []string) int {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "state directory (etcd data, PKI, kubeconfigs, logs); required")
	port := fs.Int("port", envInt("CONTROL_PLANE_PORT", 0), "kube-apiserver secure port on 127.0.0.1 (0 = pick a free one; env CONTROL_PLANE_PORT)")
	parentPID := fs.Int("parent-pid", 0, "exit when this process is no longer our parent")
	watchStdin := fs.Bool("watch-stdin", false, "exit when stdin reaches EOF (the harness holds a pipe open)")
	kwokBin := fs.String("kwok", "", "path to a kwok binary; empty disables KWOK")
	kwokStages := fs.String("kwok-stages", "", "directory of KWOK Stage YAML files")
	kwokNode := fs.String("kwok-node", "kwok-node-0", "name of the fake node created for KWOK")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		log.Print("--data-dir is required")
		return 2
	}
	if err := run(*dataDir, *port, *parentPID, *watchStdin, *kwokBin, *kwokStages, *kwokNode); err != nil {
		log.Printf("control-plane: %v", err)
		return 1
	}
	return 0
}

func run(dataDir string, port, parentPID int, watchStdin bool, kwokBin, kwokStages, kwokNode string) error {
	began := time.Now()
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	logDir := filepath.Join(dataDir, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return err
	}

	// Stop requests arrive from several sources; the first one wins.
	stop := make(chan string, 4)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	go func() { stop <- "signal " + (<-sigs).String() }()
	if watchStdin {
		go func() { _, _ = io.Copy(io.Discard, os.Stdin); stop <- "stdin closed" }()
	}
	if parentPID > 0 {
		go func() {
			for os.Getppid() == parentPID {
				time.Sleep(500 * time.Millisecond)
			}
			stop <- "parent exited"
		}()
	}

	if port == 0 {
		if port, err = freePort(); err != nil {
			return err
		}
	}
	server := fmt.Sprintf("https://127.0.0.1:%d", port)
	p, err := ensurePKI(dataDir, server)
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}

	etcd, etcdURL, err := startEtcd(filepath.Join(dataDir, "etcd"), filepath.Join(logDir, "etcd.log"))
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer etcd.Close()

	exited := make(chan string, 8)
	var children []child
	defer func() { stopChildren(children) }()
	spawn := func(name string, argv ...string) error {
		c, err := startChild(name, filepath.Join(logDir, name+".log"), argv, exited)
		if err == nil {
			children = append(children, c)
		}
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}

	if err := spawn("kube-apiserver", self, "kube-apiserver",
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(port),
		"--etcd-servers="+etcdURL,
		"--cert-dir="+filepath.Join(dataDir, "pki"),
		"--tls-cert-file="+p.file("apiserver.crt"),
		"--tls-private-key-file="+p.file("apiserver.key"),
		"--client-ca-file="+p.file("ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+p.file("sa.pub"),
		"--service-account-signing-key-file="+p.file("sa.key"),
		"--service-cluster-ip-range="+serviceCIDR,
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,ResourceQuota,NodeRestriction",
		// Like a real cluster: PodSecurity (not this flag) is what rejects privileged pods.
		"--allow-privileged=true",
		// The kubernetes Service's endpoints would be 127.0.0.1, which Endpoints validation
		// rejects forever; nothing in-cluster needs to reach the apiserver here.
		"--endpoint-reconciler-type=none",
		"--profiling=false",
	); err != nil {
		return err
	}

	cfg, err := clientcmd.BuildConfigFromFlags("", p.kubeconfig("admin"))
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := waitFor(ctx, stop, exited, "apiserver /readyz", func(ctx context.Context) error {
		_, err := cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err
	}); err != nil {
		return err
	}

	if err := spawn("kube-controller-manager", self, "kube-controller-manager",
		"--kubeconfig="+p.kubeconfig("controller-manager"),
		"--leader-elect=false",
		"--secure-port=0",
		// Each controller gets its own ServiceAccount token, as in a real cluster, so RBAC
		// mistakes in controllers' bootstrap roles would show up here too.
		"--use-service-account-credentials=true",
		"--service-account-private-key-file="+p.file("sa.key"),
		"--root-ca-file="+p.file("ca.crt"),
		"--cluster-signing-cert-file="+p.file("ca.crt"),
		"--cluster-signing-key-file="+p.file("ca.key"),
		"--service-cluster-ip-range="+serviceCIDR,
		"--profiling=false",
	); err != nil {
		return err
	}
	if err := spawn("kube-scheduler", self, "kube-scheduler",
		"--kubeconfig="+p.kubeconfig("scheduler"),
		"--leader-elect=false",
		"--secure-port=0",
		"--profiling=false",
	); err != nil {
		return err
	}

	if kwokBin != "" {
		if err := createFakeNode(ctx, cs, kwokNode); err != nil {
			return fmt.Errorf("kwok node: %w", err)
		}
		argv := []string{kwokBin,
			"--kubeconfig=" + p.kubeconfig("admin"),
			"--manage-all-nodes=false",
			"--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
		}
		stages, _ := filepath.Glob(filepath.Join(kwokStages, "*.yaml"))
		if len(stages) == 0 {
			return fmt.Errorf("no KWOK stage files in %q", kwokStages)
		}
		for _, s := range stages {
			argv = append(argv, "--config="+s)
		}
		if err := spawn("kwok", argv...); err != nil {
			return err
		}
	}

	// "Ready" means a test can create a namespace and a pod in it right away: the pod's
	// ServiceAccount admission needs the "default" SA, which the controller-manager creates.
	if err := waitFor(ctx, stop, exited, "default ServiceAccount", func(ctx context.Context) error {
		_, err := cs.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err
	}); err != nil {
		return err
	}
	if kwokBin != "" {
		if err := waitFor(ctx, stop, exited, "kwok node Ready", func(ctx context.Context) error {
			n, err := cs.CoreV1().Nodes().Get(ctx, kwokNode, metav1.GetOptions{})
			if err != nil {
				return err
			}
			for _, c := range n.Status.Conditions {
				if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
					return nil
				}
			}
			return errors.New("not ready")
		}); err != nil {
			return err
		}
	} else {
		kwokNode = ""
	}
	cancel()

	line, _ := json.Marshal(Ready{
		Server: server, AdminKubeconfig: p.kubeconfig("admin"), CAFile: p.file("ca.crt"),
		KwokNode: kwokNode, StartupMillis: time.Since(began).Milliseconds(),
	})
	fmt.Println(string(line))

	select {
	case why := <-stop:
		log.Printf("control-plane: stopping (%s)", why)
		return nil
	case name := <-exited:
		return fmt.Errorf("%s exited unexpectedly; see %s", name, filepath.Join(logDir, name+".log"))
	case err := <-etcd.Err():
		return fmt.Errorf("etcd: %w", err)
	}
}

// startChild forks from the main goroutine (pinned to the main thread, see init) so that
// Pdeathsig kills the child when the supervisor dies, even by SIGKILL.
func startChild(name, logFile string, argv []string, exited chan<- string) (child, error) {
	out, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return child{}, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		out.Close()
		return child{}, fmt.Errorf("start %s: %w", name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); out.Close(); close(done); exited <- name }()
	return child{name, cmd, done}, nil
}

// stopChildren stops components in reverse start order (clients before the apiserver), each
// with SIGTERM and a grace period, so the apiserver doesn't log a storm of broken watches.
func stopChildren(children []child) {
	for i := len(children) - 1; i >= 0; i-- {
		c := children[i]
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	}
}

// waitFor polls check until it succeeds, giving up early if a stop is requested or a
// component dies (its log explains why, so point at it).
func waitFor(ctx context.Context, stop <-chan string, exited <-chan string, what string, check func(context.Context) error) error {
	var last error
	for {
		if last = check(ctx); last == nil {
			return nil
		}
		select {
		case why := <-stop:
			return fmt.Errorf("stopped while waiting for %s (%s)", what, why)
		case name := <-exited:
			return fmt.Errorf("%s exited while waiting for %s; see its log in the data dir", name, what)
		case <-ctx.Done():
			return fmt.Errorf("timed out waiting for %s: %v", what, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func startEtcd(dir, logFile string) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.Name = "test"
	clientURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", clientPort)}
	peerURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", peerPort)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{clientURL}, []url.URL{clientURL}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peerURL}, []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	// Test data is disposable: skipping fsync makes etcd writes (and so every API write)
	// an order of magnitude faster on slow CI disks.
	cfg.UnsafeNoFsync = true
	cfg.LogLevel = "warn"
	cfg.LogOutputs = []string{logFile}
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, clientURL.String(), nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", errors.New("etcd did not become ready in 60s")
	}
}

// createFakeNode registers the node KWOK pretends to run. Without a taint, ordinary pods
// (the lab-runner's) schedule onto it; the capacity is large so quotas, not the node, bind.
func createFakeNode(ctx context.Context, cs kubernetes.Interface, name string) error {
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("250"),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Annotations: map[string]string{"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
			Labels: map[string]string{
				"type": "kwok", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
				"kubernetes.io/arch": "amd64", "kubernetes.io/role": "agent",
			},
		},
		Status: corev1.NodeStatus{Capacity: capacity, Allocatable: capacity},
	}
	_, err := cs.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(strings.TrimSpace(os.Getenv(name))); err == nil {
		return v
	}
	return def
}
