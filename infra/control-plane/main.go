// Command control-plane is a test-only Kubernetes control plane on loopback: embedded etcd,
// kube-apiserver, kube-controller-manager and kube-scheduler, plus an optional KWOK.
//
// One binary, two roles:
//
//	control-plane up --data-dir DIR [--port N] [--kwok BIN --kwok-stages DIR]
//	    the supervisor: runs etcd in-process, generates PKI and kubeconfigs, re-executes itself
//	    for each Kubernetes component, prints one JSON line on stdout when ready, and tears
//	    everything down when stdin reaches EOF (parent gone), on SIGTERM/SIGINT, or when any
//	    component dies.
//	control-plane kube-apiserver|kube-controller-manager|kube-scheduler [flags]
//	    the upstream command, unchanged.
//
// Components run as separate processes (not goroutines) because they share package-level
// state (feature gates, metrics registries, klog flags) that upstream only supports once per
// process; a separate process costs some RSS but no surprises.
package main

import (
	"fmt"
	"os"
	"runtime"

	_ "time/tzdata" // CronJob time zones, as upstream's mains do

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	_ "k8s.io/component-base/metrics/prometheus/workqueue"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func init() {
	// Children are started with Pdeathsig, which Linux ties to the *thread* that forked them,
	// not the process. Pinning main to its OS thread (and forking only from main) means the
	// signal fires exactly when the supervisor process dies.
	runtime.LockOSThread()
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: control-plane up|kube-apiserver|kube-controller-manager|kube-scheduler [flags]")
		os.Exit(2)
	}
	var cmd *cobra.Command
	switch os.Args[1] {
	case "up":
		os.Exit(up(os.Args[2:]))
	case "kube-apiserver":
		cmd = apiserver.NewAPIServerCommand()
	case "kube-controller-manager":
		cmd = controllermanager.NewControllerManagerCommand()
	case "kube-scheduler":
		cmd = scheduler.NewSchedulerCommand()
	default:
		fmt.Fprintf(os.Stderr, "unknown role %q\n", os.Args[1])
		os.Exit(2)
	}
	cmd.SetArgs(os.Args[2:])
	os.Exit(cli.Run(cmd))
}
